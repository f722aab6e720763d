using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MailerQ.Www.Console.Settings;

/// <summary>
/// The fields of a REST v1 request, from a JSON object or a form body (5.13/rest-api-v1.md: "JSON or
/// x-www-form-urlencoded"), or from a query string. Values are kept as text: JSON strings as they are,
/// numbers and booleans as written. Nested objects and arrays are refused: no v1 settings field has one.
/// </summary>
internal sealed class RequestFields
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    private RequestFields() { }

    public static RequestFields Empty { get; } = new();

    public static bool IsForm(ReadOnlySpan<byte> contentType) =>
        contentType.Length >= 33 && Ascii.EqualsIgnoreCase(contentType[..33], "application/x-www-form-urlencoded"u8);

    /// <summary>
    /// Reads a form body when the Content-Type says so, JSON otherwise. A body that starts with <c>{</c> is JSON
    /// whatever the header: <c>curl -d '{…}'</c> labels JSON as a form, and no form field name starts with a brace.
    /// </summary>
    public static bool TryParseBody(ReadOnlySpan<byte> contentType, ReadOnlySpan<byte> body, out RequestFields fields, out string error) =>
        IsForm(contentType) && !LooksLikeJson(body) ? TryParseForm(body, out fields, out error) : TryParseJson(body, out fields, out error);

    /// <summary>True when the first non-blank byte opens a JSON object.</summary>
    public static bool LooksLikeJson(ReadOnlySpan<byte> body)
    {
        var trimmed = body.TrimStart(" \t\r\n"u8);
        return !trimmed.IsEmpty && trimmed[0] == (byte)'{';
    }

    public static bool TryParseForm(ReadOnlySpan<byte> body, out RequestFields fields, out string error)
    {
        fields = new RequestFields();
        error = "";
        if (!FormUrlEncoded.TryParse(body, out var pairs))
        {
            error = "malformed form body";
            return false;
        }
        foreach (var (k, v) in pairs) fields._values[k] = v;
        return true;
    }

    public static bool TryParseJson(ReadOnlySpan<byte> body, out RequestFields fields, out string error)
    {
        fields = new RequestFields();
        error = "";
        if (body.Trim(" \t\r\n"u8).IsEmpty)
        {
            error = "the body must be a JSON object or a form";
            return false;
        }
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 4 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "the body must be a JSON object";
                return false;
            }
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                string name = reader.GetString()!;
                reader.Read();
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        fields._values[name] = reader.GetString();
                        break;
                    case JsonTokenType.Number:
                        fields._values[name] = Encoding.UTF8.GetString(reader.ValueSpan);
                        break;
                    case JsonTokenType.True:
                        fields._values[name] = "true";
                        break;
                    case JsonTokenType.False:
                        fields._values[name] = "false";
                        break;
                    case JsonTokenType.Null:
                        fields._values[name] = null;
                        break;
                    default:
                        error = $"field {name} must be a string, number or boolean";
                        return false;
                }
            }
            if (reader.Read())
            {
                error = "the body must be one JSON object";
                return false;
            }
            return true;
        }
        catch (JsonException)
        {
            error = "malformed JSON";
            return false;
        }
    }

    public static RequestFields FromQuery(ReadOnlySpan<byte> query)
    {
        var fields = new RequestFields();
        if (FormUrlEncoded.TryParse(query, out var pairs))
            foreach (var (k, v) in pairs) fields._values[k] = v;
        return fields;
    }

    /// <summary>The trimmed value; null when absent, null or empty.</summary>
    public string? Text(string name) =>
        _values.TryGetValue(name, out var v) && v is not null && v.Trim() is { Length: > 0 } t ? t : null;

    /// <summary>An optional whole number in range; false (with the error) when present but not one.</summary>
    public bool TryInt(string name, int min, int max, out int? value, out string error)
    {
        value = null;
        error = "";
        var text = Text(name);
        if (text is null) return true;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max)
        {
            value = n;
            return true;
        }
        error = $"{name} must be a whole number from {min} to {max}";
        return false;
    }

    /// <summary>An optional boolean (<c>true/false</c>, <c>1/0</c>, <c>yes/no</c>, <c>on/off</c> for forms).</summary>
    public bool TryBool(string name, out bool value, out string error)
    {
        value = false;
        error = "";
        switch (Text(name)?.ToLowerInvariant())
        {
            case null or "false" or "0" or "no" or "off":
                return true;
            case "true" or "1" or "yes" or "on":
                value = true;
                return true;
            default:
                error = $"{name} must be true or false";
                return false;
        }
    }

    /// <summary>
    /// An optional time: MailerQ's <c>YYYY-MM-DD HH:MM:SS</c> (UTC), ISO 8601 with an offset, or Unix seconds.
    /// </summary>
    public bool TryTime(string name, out DateTimeOffset? value, out string error) => TryParseTime(Text(name), name, out value, out error);

    /// <summary><see cref="TryTime"/> for a value read elsewhere (a JSON body with arrays, which this class refuses).</summary>
    public static bool TryParseTime(string? text, string name, out DateTimeOffset? value, out string error)
    {
        value = null;
        error = "";
        if (text is null) return true;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long unix) && unix < 253402300800)
        {
            value = DateTimeOffset.FromUnixTimeSeconds(unix);
            return true;
        }
        if (DateTimeOffset.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var exact)
            || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out exact))
        {
            value = exact.ToUniversalTime();
            return true;
        }
        error = $"{name} must be a time like 2025-01-31 23:59:59 (UTC) or Unix seconds";
        return false;
    }
}
