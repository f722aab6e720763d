using System.Text.Json.Nodes;

namespace MailerQ.Www.Smtp.Delivery.Messages;

/// <summary>
/// One message for one recipient as the delivery engine handles it: MailerQ's outbox JSON
/// (5.13/json-messages.md) with its MIME held apart. <see cref="Json"/> keeps every property the message came
/// with — unknown ones included — except <c>mime</c>, so results carry them through unchanged.
/// </summary>
internal sealed class OutboxMessage
{
    public OutboxMessage(string id, JsonObject json, ReadOnlyMemory<byte> mime)
    {
        Id = id;
        Json = json;
        Mime = mime;
    }

    /// <summary>Our id: the queue entry's (and, for mail received over SMTP, the inbound <c>message-id</c>).</summary>
    public string Id { get; }

    /// <summary>The message's properties without <c>mime</c>; the engine adds <c>results</c> and <c>nextattempt</c> to it.</summary>
    public JsonObject Json { get; }

    /// <summary>The raw RFC 5322 message; empty when the message names a <c>key</c> instead.</summary>
    public ReadOnlyMemory<byte> Mime { get; set; }

    /// <summary>
    /// Why this message cannot be delivered at all (unparsable JSON, no recipient, damaged queue entry): the engine
    /// reports it as MailerQ's <c>process</c>/<c>invalid</c> result instead of dropping it. Null for a good message.
    /// </summary>
    public string? InvalidReason { get; init; }

    /// <summary>MAIL FROM; empty for the null sender.</summary>
    public string Envelope => OutboxJson.String(Json, "envelope") ?? "";

    public string Recipient => OutboxJson.String(Json, "recipient") ?? "";

    /// <summary>The recipient's domain, lower case (the routing and throttling key).</summary>
    public string RecipientDomain => OutboxJson.DomainOf(Recipient);

    /// <summary><c>ips</c>: local source IPs; null when absent or not an array (then <c>smtp-default-ips</c> applies).</summary>
    public IReadOnlyList<string>? Ips => OutboxJson.StringArray(Json, "ips");

    /// <summary><c>pool</c>, ignored when <see cref="Ips"/> is set.</summary>
    public string? Pool => OutboxJson.String(Json, "pool");

    public IReadOnlyList<string> Tags => OutboxJson.StringArray(Json, "tags") ?? [];

    /// <summary><c>nextattempt.time</c> (UTC): not to be tried before.</summary>
    public DateTimeOffset? NextAttempt => OutboxJson.Time(Json["nextattempt"] is JsonObject n ? n["time"] : Json["nextattempt"]);

    /// <summary><c>maxdelivertime</c>: a timestamp after which the message fails with process/timeout.</summary>
    public DateTimeOffset? MaxDeliverTime => OutboxJson.Time(Json["maxdelivertime"]);

    /// <summary><c>maxattempts</c>; null = the <c>max-attempts</c> setting.</summary>
    public int? MaxAttempts => OutboxJson.Int(Json, "maxattempts");

    /// <summary><c>retries</c>: seconds between attempts, the last repeating; null = <c>retry-interval</c>.</summary>
    public IReadOnlyList<int>? Retries => OutboxJson.IntArray(Json, "retries");

    /// <summary><c>dsn</c>: notify/ret/orcpt/envid.</summary>
    public JsonObject? Dsn => Json["dsn"] as JsonObject;

    /// <summary><c>queues</c>: per-message result queues (missing = config default, null = do not publish).</summary>
    public JsonObject? Queues => Json["queues"] as JsonObject;

    /// <summary><c>smarthost</c>: {hostname, port, username, password}.</summary>
    public JsonObject? Smarthost => Json["smarthost"] as JsonObject;

    /// <summary><c>security</c>: optional | opportunistic | required | verified.</summary>
    public string? Security => OutboxJson.String(Json, "security");

    public int Priority => OutboxJson.Int(Json, "priority") ?? 0;

    /// <summary><c>keepmime</c>: results keep the <c>mime</c> property.</summary>
    public bool KeepMime => OutboxJson.Bool(Json, "keepmime") ?? false;

    /// <summary><c>dkim</c>: object or array of signing keys.</summary>
    public JsonNode? Dkim => Json["dkim"];

    /// <summary><c>headers</c>: remove/prepend/append/replace/update operations.</summary>
    public JsonObject? Headers => Json["headers"] as JsonObject;

    /// <summary>Earlier attempts (<c>results</c>), oldest first; created on first use.</summary>
    public JsonArray Results => Json["results"] as JsonArray ?? (JsonArray)(Json["results"] = new JsonArray());

    /// <summary>Attempts made so far.</summary>
    public int Attempts => Json["results"] is JsonArray a ? a.Count : 0;

    /// <summary>
    /// When the message first entered the delivery engine: its <c>received</c> time for mail that came in over
    /// SMTP, else the first attempt's time, else <paramref name="now"/> (MailerQ gives up 24 h after first pickup).
    /// </summary>
    public DateTimeOffset FirstSeen(DateTimeOffset now)
    {
        if (OutboxJson.Time(Json["received"]) is { } received)
            return received;
        if (Json["results"] is JsonArray { Count: > 0 } results && results[0] is JsonObject first && OutboxJson.Time(first["time"]) is { } time)
            return time;
        return now;
    }
}
