using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MailerQ.Www.Smtp.Delivery.Messages;

namespace MailerQ.Www.Smtp.Delivery.Results;

/// <summary>
/// MailerQ's result JSON (5.13/json-results.md): the message's own properties, unknown ones included, plus
/// <c>results[]</c> (one object per attempt) and <c>extracted{}</c> (what the MIME and the addresses say), with
/// <c>mime</c> only when asked (<c>keepmime</c>). Written with <see cref="Utf8JsonWriter"/>, no reflection.
/// </summary>
internal static class ResultJson
{
    /// <summary>Adds one attempt to <c>results</c> (the engine calls it after every attempt, before deciding).</summary>
    public static void Append(OutboxMessage message, AttemptResult result)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(result);
        var attempt = new JsonObject
        {
            ["state"] = result.State,
            ["result"] = result.Result,
            ["time"] = OutboxJson.FormatTime(result.Time),
        };
        if (result.Mta is not null)
            attempt["mta"] = result.Mta;
        if (result.From is not null)
            attempt["from"] = result.From;
        if (result.To is not null)
            attempt["to"] = result.To;
        attempt["code"] = result.Code;
        attempt["status"] = result.Status ?? "";
        attempt["description"] = result.Description;
        // Connection facts exist only once a connection was made; MailerQ leaves them out before that.
        if (result.Messages > 0 || result.SentConnection > 0 || result.SentData > 0)
        {
            attempt["messages"] = result.Messages;
            attempt["sent"] = new JsonObject { ["connection"] = result.SentConnection, ["data"] = result.SentData };
        }
        if (result.Cipher is { } tls)
        {
            attempt["cipher"] = new JsonObject { ["name"] = tls.Name, ["bits"] = tls.Bits, ["version"] = tls.Version };
            // Of MailerQ's certificate object only "verified" is known here (the client checks the chain, it keeps no fields).
            attempt["certificate"] = new JsonObject { ["verified"] = tls.Verified };
        }
        if (result.IsSuccess)
            attempt["dsn"] = result.Dsn;
        message.Results.Add((JsonNode)attempt);
    }

    /// <summary>
    /// An attempt read back from <c>results[]</c> (what a requeued message remembers of earlier attempts): enough for a
    /// bounce to quote the last reply. Missing fields stay empty.
    /// </summary>
    public static AttemptResult ReadAttempt(JsonObject attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return new AttemptResult
        {
            State = OutboxJson.String(attempt, "state") ?? DeliveryStates.Unknown,
            Result = OutboxJson.String(attempt, "result") ?? DeliveryResults.Error,
            Time = OutboxJson.Time(attempt["time"]) ?? default,
            Mta = OutboxJson.String(attempt, "mta"),
            From = OutboxJson.String(attempt, "from"),
            To = OutboxJson.String(attempt, "to"),
            Code = OutboxJson.Int(attempt, "code") ?? 0,
            Status = OutboxJson.String(attempt, "status") is { Length: > 0 } status ? status : null,
            Description = OutboxJson.String(attempt, "description") ?? "",
        };
    }

    /// <summary>The result JSON for the result queues: every property, <c>results</c>, <c>extracted</c>, and <c>mime</c> when <paramref name="includeMime"/>.</summary>
    public static byte[] Write(OutboxMessage message, bool includeMime)
    {
        ArgumentNullException.ThrowIfNull(message);
        var buffer = new ArrayBufferWriter<byte>(1024 + (includeMime ? message.Mime.Length + message.Mime.Length / 8 : 0));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            WriteProperties(writer, message.Json);
            if (message.Json["results"] is null)
            {
                writer.WriteStartArray("results");
                writer.WriteEndArray();
            }
            writer.WritePropertyName("extracted");
            ExtractedFields.Write(writer, message);
            if (includeMime && !message.Mime.IsEmpty)
                WriteMime(writer, message.Mime.Span);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The message as it goes back to the outbox for a retry: its properties with <c>results</c> and <c>nextattempt</c>,
    /// without <c>extracted</c> or <c>mime</c> (the publisher carries the MIME beside the JSON).
    /// </summary>
    public static byte[] WriteOutbox(OutboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            WriteProperties(writer, message.Json);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>MIME as a JSON string: UTF-8 as is, other 8-bit mail as Latin-1 so every octet survives (as InboundJson does).</summary>
    internal static void WriteMime(Utf8JsonWriter writer, ReadOnlySpan<byte> mime)
    {
        if (System.Text.Unicode.Utf8.IsValid(mime))
            writer.WriteString("mime", mime);
        else
            writer.WriteString("mime", Encoding.Latin1.GetString(mime));
    }

    private static void WriteProperties(Utf8JsonWriter writer, JsonObject json)
    {
        foreach (var (name, value) in json)
        {
            // A message re-read from a result queue carries an old "extracted" (rewritten fresh) and must not carry "mime" twice.
            if (name is "extracted" or "mime")
                continue;
            writer.WritePropertyName(name);
            if (value is null)
                writer.WriteNullValue();
            else
                value.WriteTo(writer);
        }
    }
}
