using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MailerQ.Www.Smtp.Queue;

namespace MailerQ.Www.Smtp.Delivery.Messages;

/// <summary>Reads MailerQ's outbox JSON into <see cref="OutboxMessage"/> and typed values out of it, tolerating odd types.</summary>
internal static class OutboxJson
{
    public const string TimeFormat = "yyyy-MM-dd HH:mm:ss";

    /// <summary>
    /// Parses an outbox message as it arrives from RabbitMQ or <c>/v1/inject</c> (the <c>mime</c> property inline).
    /// Null with <paramref name="error"/> when it is not a JSON object or has no recipient.
    /// </summary>
    public static OutboxMessage? Parse(string id, ReadOnlySpan<byte> json, out string? error)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            error = "invalid JSON: " + e.Message;
            return null;
        }
        if (node is not JsonObject obj)
        {
            error = "the message is not a JSON object";
            return null;
        }
        return FromObject(id, obj, out error);
    }

    /// <summary>Takes <c>mime</c> out of <paramref name="obj"/> (as UTF-8, or Latin-1 bytes when the string holds only those) and validates the rest.</summary>
    public static OutboxMessage? FromObject(string id, JsonObject obj, out string? error)
    {
        ReadOnlyMemory<byte> mime = default;
        if (obj["mime"] is JsonValue mimeValue && mimeValue.TryGetValue(out string? text))
        {
            mime = Encoding.UTF8.GetBytes(text);
            obj.Remove("mime");
        }
        else if (obj["mime"] is not null)
        {
            // The "responsive" object form needs the template renderer; not supported (documented).
            error = "mime must be a string holding the RFC 5322 message";
            return null;
        }
        return Validate(new OutboxMessage(id, obj, mime), out error);
    }

    /// <summary>A message stored beside its MIME (embedded queue file, JSON without <c>mime</c>).</summary>
    public static OutboxMessage? FromStored(string id, ReadOnlySpan<byte> json, ReadOnlyMemory<byte> mime, out string? error)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            error = "invalid JSON: " + e.Message;
            return null;
        }
        if (node is not JsonObject obj)
        {
            error = "the message is not a JSON object";
            return null;
        }
        obj.Remove("mime");
        return Validate(new OutboxMessage(id, obj, mime), out error);
    }

    /// <summary>One outbox message per recipient of mail received over SMTP (what MailerQ would publish to the inbox).</summary>
    public static IEnumerable<OutboxMessage> FromInbound(InboundMessage inbound, ReadOnlyMemory<byte> mime)
    {
        for (int i = 0; i < inbound.Recipients.Count; i++)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
            using (var writer = new Utf8JsonWriter(buffer))
                InboundJson.WriteRecipient(writer, inbound, i, ReadOnlySpan<byte>.Empty);
            var obj = (JsonObject)JsonNode.Parse(buffer.WrittenSpan)!;
            obj.Remove("mime");
            // One queue file holds every recipient; the per-recipient id keeps results and retries apart.
            string id = inbound.Recipients.Count == 1 ? inbound.Id : $"{inbound.Id}-{i}";
            yield return new OutboxMessage(id, obj, mime);
        }
    }

    private static OutboxMessage? Validate(OutboxMessage message, out string? error)
    {
        if (string.IsNullOrEmpty(message.Recipient))
        {
            error = "the message has no recipient";
            return null;
        }
        if (message.Mime.IsEmpty && String(message.Json, "key") is null)
        {
            error = "the message has neither mime nor key";
            return null;
        }
        error = null;
        return message;
    }

    public static string DomainOf(string address)
    {
        int at = address.LastIndexOf('@');
        return (at < 0 ? "" : address[(at + 1)..]).ToLowerInvariant();
    }

    public static string? String(JsonObject obj, string name) =>
        obj[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    public static int? Int(JsonObject obj, string name) => obj[name] is JsonValue v ? IntOf(v) : null;

    public static bool? Bool(JsonObject obj, string name)
    {
        if (obj[name] is not JsonValue v)
            return null;
        if (v.TryGetValue(out bool b))
            return b;
        if (IntOf(v) is { } i)
            return i != 0;
        return v.TryGetValue(out string? s) ? s is "true" or "1" or "yes" : null;
    }

    public static IReadOnlyList<string>? StringArray(JsonObject obj, string name)
    {
        switch (obj[name])
        {
            case JsonArray array:
                var list = new List<string>(array.Count);
                foreach (var item in array)
                {
                    if (item is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0)
                        list.Add(s);
                }
                return list;
            case JsonValue single when single.TryGetValue(out string? one):
                return one.Length == 0 ? [] : [one];
            default:
                return null;
        }
    }

    public static IReadOnlyList<int>? IntArray(JsonObject obj, string name)
    {
        if (obj[name] is not JsonArray array)
            return null;
        var list = new List<int>(array.Count);
        foreach (var item in array)
        {
            if (item is JsonValue v && IntOf(v) is { } i && i >= 0)
                list.Add(i);
        }
        return list.Count == 0 ? null : list;
    }

    /// <summary>MailerQ's "YYYY-MM-DD HH:MM:SS" (UTC), also a Unix timestamp number or ISO 8601.</summary>
    public static DateTimeOffset? Time(JsonNode? node)
    {
        if (node is not JsonValue v)
            return null;
        if (v.TryGetValue(out string? s))
        {
            if (DateTimeOffset.TryParseExact(s, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
                return t;
            if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out t))
                return t;
            return long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long unix) ? DateTimeOffset.FromUnixTimeSeconds(unix) : null;
        }
        return IntOf(v) is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
    }

    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static int? IntOf(JsonValue v)
    {
        if (v.TryGetValue(out int i))
            return i;
        if (v.TryGetValue(out long l))
            return (int)Math.Clamp(l, int.MinValue, int.MaxValue);
        if (v.TryGetValue(out double d) && double.IsFinite(d))
            return (int)Math.Clamp(d, int.MinValue, int.MaxValue);
        return v.TryGetValue(out string? s) && int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out i) ? i : null;
    }
}
