using System.Text.Json;
using System.Text.Json.Nodes;
using MailerQ.Www.Smtp.Delivery.Messages;
using MailerQ.Www.Smtp.Queue;

namespace MailerQ.Www.Smtp.Delivery.Outbox;

/// <summary>
/// Turns an embedded queue file into outbox messages: mail received over SMTP (inbound meta, one message per
/// recipient) or a published JSON message (<c>{"outbox": …}</c> meta, one message).
/// </summary>
internal static class StoredEntry
{
    /// <summary>When the entry may be tried: its <c>nextattempt</c>, or <paramref name="now"/>. Reads the meta only.</summary>
    public static DateTimeOffset DueTime(ReadOnlySpan<byte> meta, DateTimeOffset now)
    {
        try
        {
            var reader = new Utf8JsonReader(meta);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.TryGetProperty("outbox", out var outbox) && outbox.ValueKind == JsonValueKind.Object
                && outbox.TryGetProperty("nextattempt", out var next))
            {
                var node = next.ValueKind == JsonValueKind.Object && next.TryGetProperty("time", out var t) ? JsonNode.Parse(t.GetRawText()) : JsonNode.Parse(next.GetRawText());
                if (OutboxJson.Time(node) is { } due)
                    return due;
            }
        }
        catch (JsonException)
        {
            // Damaged meta: due now, so the reader reports it as invalid instead of ignoring it forever.
        }
        return now;
    }

    /// <summary>The message's <c>priority</c> (higher goes first among messages that are due); 0 for mail received over SMTP.</summary>
    public static int Priority(ReadOnlySpan<byte> meta)
    {
        try
        {
            var reader = new Utf8JsonReader(meta);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.TryGetProperty("outbox", out var outbox) && outbox.ValueKind == JsonValueKind.Object
                && outbox.TryGetProperty("priority", out var priority) && priority.ValueKind == JsonValueKind.Number
                && priority.TryGetInt32(out int value))
                return value;
        }
        catch (JsonException)
        {
        }
        return 0;
    }

    /// <summary>The messages of one file; a file that cannot be understood yields one message-less error.</summary>
    public static IReadOnlyList<OutboxMessage> Expand(string id, byte[] meta, byte[] mime, out string? error)
    {
        error = null;
        try
        {
            var reader = new Utf8JsonReader(meta);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.TryGetProperty("outbox", out var outbox))
            {
                var message = OutboxJson.FromStored(id, System.Text.Encoding.UTF8.GetBytes(outbox.GetRawText()), mime, out error);
                return message is null ? [Invalid(id, error!, outbox.ValueKind == JsonValueKind.Object ? JsonNode.Parse(outbox.GetRawText()) as JsonObject : null)] : [message];
            }
        }
        catch (JsonException e)
        {
            error = "damaged queue entry: " + e.Message;
            return [Invalid(id, error, null)];
        }
        try
        {
            var inbound = InboundJson.ReadMeta(meta);
            return [.. OutboxJson.FromInbound(inbound, mime)];
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            error = "damaged queue entry: " + e.Message;
            return [Invalid(id, error, null)];
        }
    }

    /// <summary>A stand-in that carries what could be read, so the failure is reported (process/invalid), never silently dropped.</summary>
    public static OutboxMessage Invalid(string id, string reason, JsonObject? json) =>
        new(id, json ?? new JsonObject(), ReadOnlyMemory<byte>.Empty) { InvalidReason = reason };
}
