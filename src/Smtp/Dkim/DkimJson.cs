using System.Globalization;
using System.Text.Json;
using MailerQ.Www.Core.Dkim;

namespace MailerQ.Www.Smtp.Dkim;

/// <summary>
/// MailerQ's per-message <c>dkim</c> property (5.13/json-messages.md): one object or an array of
/// <c>{domain, selector, key, expire, headers, priority, canonicalization, protocols, report}</c>.
/// </summary>
/// <remarks>
/// Errors are sentences naming the property (<c>dkim[1].key: …</c>), for an invalid result. The algorithm
/// follows the key (RSA → rsa-sha256, Ed25519 → ed25519-sha256); the JSON has no field for it.
/// An entry whose <c>protocols</c> leave out "dkim" is ARC-only, which is not implemented: it is skipped.
/// <c>report</c> (RFC 6651 failure reports) is accepted and ignored: MimeKit cannot add <c>r=y</c>.
/// </remarks>
internal static class DkimJson
{
    /// <summary>json-messages.md: "canonicalization" defaults to relaxed/simple for message keys.</summary>
    public const string DefaultCanonicalization = "relaxed/simple";

    /// <summary>Bounds work per message: more keys than this is a mistake, not a signing policy.</summary>
    public const int MaxKeys = 16;

    private static readonly string[] ExpireFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd"];

    /// <summary>True when every entry is valid; <paramref name="keys"/> holds the valid ones either way.</summary>
    public static bool TryParse(JsonElement dkim, out IReadOnlyList<DkimSigningKey> keys, out IReadOnlyList<string> errors)
    {
        var found = new List<DkimSigningKey>();
        var problems = new List<string>();
        switch (dkim.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                break;
            case JsonValueKind.Object:
                ParseEntry(dkim, "dkim", found, problems);
                break;
            case JsonValueKind.Array:
                int count = dkim.GetArrayLength();
                if (count > MaxKeys)
                {
                    problems.Add($"dkim: {count} keys, at most {MaxKeys}");
                    break;
                }
                int i = 0;
                foreach (var entry in dkim.EnumerateArray())
                {
                    string where = $"dkim[{i++}]";
                    if (entry.ValueKind == JsonValueKind.Object)
                        ParseEntry(entry, where, found, problems);
                    else
                        problems.Add($"{where}: must be an object");
                }
                break;
            default:
                problems.Add("dkim: must be an object or an array of objects");
                break;
        }
        keys = found;
        errors = problems;
        return problems.Count == 0;
    }

    private static void ParseEntry(JsonElement entry, string where, List<DkimSigningKey> keys, List<string> errors)
    {
        int before = errors.Count;
        string? domain = RequiredString(entry, "domain", where, errors);
        string? selector = RequiredString(entry, "selector", where, errors);
        string? pem = RequiredString(entry, "key", where, errors);

        DkimKeyMaterial? material = null;
        if (pem is not null && !DkimKeyMaterial.TryParse(pem, out material, out string? keyError))
            errors.Add($"{where}.key: {keyError}");

        DateTimeOffset? expire = null;
        if (entry.TryGetProperty("expire", out var expireElement) && expireElement.ValueKind != JsonValueKind.Null)
        {
            if (expireElement.ValueKind == JsonValueKind.String
                && DateTime.TryParseExact(expireElement.GetString(), ExpireFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
                expire = new DateTimeOffset(parsed, TimeSpan.Zero);
            else
                errors.Add($"{where}.expire: expected \"YYYY-MM-DD HH:MM:SS\" (UTC)");
        }

        List<string>? headers = null;
        if (entry.TryGetProperty("headers", out var headersElement) && headersElement.ValueKind != JsonValueKind.Null)
            headers = ParseHeaders(headersElement, where, errors);

        int priority = 0;
        if (entry.TryGetProperty("priority", out var priorityElement) && priorityElement.ValueKind != JsonValueKind.Null)
        {
            if (!(priorityElement.ValueKind == JsonValueKind.Number && priorityElement.TryGetInt32(out priority))
                && !(priorityElement.ValueKind == JsonValueKind.String && int.TryParse(priorityElement.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out priority)))
                errors.Add($"{where}.priority: must be a whole number");
        }

        string canonicalization = DefaultCanonicalization;
        if (entry.TryGetProperty("canonicalization", out var cElement) && cElement.ValueKind != JsonValueKind.Null)
        {
            if (cElement.ValueKind == JsonValueKind.String && DkimCanonicalization.TryParse(cElement.GetString(), out _, out _))
                canonicalization = cElement.GetString()!.Trim();
            else
                errors.Add($"{where}.canonicalization: expected simple or relaxed, or header/body such as \"relaxed/simple\"");
        }

        bool dkimProtocol = true;
        if (entry.TryGetProperty("protocols", out var protocols) && protocols.ValueKind == JsonValueKind.Array)
        {
            dkimProtocol = false;
            foreach (var protocol in protocols.EnumerateArray())
            {
                if (protocol.ValueKind == JsonValueKind.String && string.Equals(protocol.GetString(), "dkim", StringComparison.OrdinalIgnoreCase))
                    dkimProtocol = true;
            }
        }

        if (errors.Count > before || !dkimProtocol)
            return;
        keys.Add(new DkimSigningKey(domain!, selector!, material!.Algorithm, pem!, headers, expire, priority, canonicalization));
    }

    private static string? RequiredString(JsonElement entry, string name, string where, List<string> errors)
    {
        if (entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()))
            return value.GetString()!.Trim();
        errors.Add($"{where}.{name}: required (a non-empty string)");
        return null;
    }

    /// <summary>An array of names; a single string with names separated by colons or commas is taken too.</summary>
    private static List<string>? ParseHeaders(JsonElement element, string where, List<string> errors)
    {
        var headers = new List<string>();
        if (element.ValueKind == JsonValueKind.String)
        {
            foreach (string name in element.GetString()!.Split([':', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                headers.Add(name);
            return headers;
        }
        if (element.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{where}.headers: must be an array of header names");
            return null;
        }
        foreach (var item in element.EnumerateArray())
        {
            string? name = item.ValueKind == JsonValueKind.String ? item.GetString()?.Trim() : null;
            if (string.IsNullOrEmpty(name) || name.AsSpan().IndexOfAny(": \t\r\n") >= 0)
            {
                errors.Add($"{where}.headers: {item.GetRawText()} is not a header name");
                return null;
            }
            headers.Add(name);
        }
        return headers;
    }
}
