using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace MailerQ.Www.Smtp.Queue;

/// <summary>
/// The JSON MailerQ publishes for inbound mail, one object per recipient (5.13/json-incoming.md,
/// json-messages.md): <c>envelope</c>, <c>recipient</c>, <c>mime</c>, <c>message-id</c>, <c>received</c>,
/// <c>hostname</c>, <c>connection{local-ip,local-port,remote-ip,remote-port,secure,user}</c>, <c>dsn{…}</c>
/// from the ESMTP parameters, and the <c>x-mq-*</c> properties. Written with <see cref="Utf8JsonWriter"/>
/// (no reflection, so NativeAOT-safe). Also the compact meta record stored next to the MIME in the queue file.
/// </summary>
internal static class InboundJson
{
    /// <summary>MailerQ's time format, UTC (json-messages.md: "YYYY-MM-DD HH:MM:SS").</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>MailerQ's object for recipient <paramref name="index"/>.</summary>
    public static void WriteRecipient(Utf8JsonWriter writer, InboundMessage message, int index, ReadOnlySpan<byte> mime)
    {
        var recipient = message.Recipients[index];
        writer.WriteStartObject();
        // x-mq-envelope overrides MAIL FROM (mime-headers.md); written once, below.
        string? envelopeOverride = null;
        foreach (var pair in message.Extracted)
        {
            if (pair.Key == "envelope")
                envelopeOverride = JsonSerializerless.UnquoteString(pair.Value);
        }
        writer.WriteString("envelope", envelopeOverride ?? message.Envelope);
        writer.WriteString("recipient", recipient.Address);
        if (System.Text.Unicode.Utf8.IsValid(mime))
            writer.WriteString("mime", mime);
        else
            writer.WriteString("mime", Encoding.Latin1.GetString(mime)); // 8-bit mail in a legacy charset: keep every octet
        writer.WriteString("message-id", message.Id);
        writer.WriteString("received", FormatTime(message.Received));
        writer.WriteString("hostname", message.HostName);
        writer.WriteStartObject("connection");
        WriteEndPoint(writer, "local", message.Local);
        WriteEndPoint(writer, "remote", message.Remote);
        writer.WriteBoolean("secure", message.Secure);
        if (message.User is null) writer.WriteNull("user");
        else writer.WriteString("user", message.User);
        writer.WriteEndObject();

        bool hasDsn = recipient.Notify is not null || recipient.OriginalRecipient is not null || message.Ret is not null || message.EnvId is not null;
        if (hasDsn)
        {
            writer.WriteStartObject("dsn");
            if (recipient.Notify is not null) writer.WriteString("notify", recipient.Notify);
            if (message.Ret is not null) writer.WriteString("ret", message.Ret);
            if (recipient.OriginalRecipient is not null) writer.WriteString("orcpt", recipient.OriginalRecipient);
            if (message.EnvId is not null) writer.WriteString("envid", message.EnvId);
            writer.WriteEndObject();
        }
        foreach (var pair in message.Extracted)
        {
            if (pair.Key == "envelope" || (hasDsn && pair.Key == "dsn"))
                continue;
            writer.WritePropertyName(pair.Key);
            writer.WriteRawValue(pair.Value, skipInputValidation: true);
        }
        writer.WriteEndObject();
    }

    private static void WriteEndPoint(Utf8JsonWriter writer, string prefix, IPEndPoint? endPoint)
    {
        var address = endPoint?.Address;
        if (address is not null && address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        writer.WriteString(prefix + "-ip", address?.ToString() ?? "");
        writer.WriteNumber(prefix + "-port", endPoint?.Port ?? 0);
    }

    /// <summary>The queue file's meta record: everything but the MIME.</summary>
    public static byte[] WriteMeta(InboundMessage message)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", message.Id);
            writer.WriteString("envelope", message.Envelope);
            writer.WriteStartArray("recipients");
            foreach (var r in message.Recipients)
            {
                writer.WriteStartObject();
                writer.WriteString("recipient", r.Address);
                if (r.Notify is not null) writer.WriteString("notify", r.Notify);
                if (r.OriginalRecipient is not null) writer.WriteString("orcpt", r.OriginalRecipient);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteString("received", message.Received.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteString("hostname", message.HostName);
            if (message.Local is not null) writer.WriteString("local", message.Local.ToString());
            if (message.Remote is not null) writer.WriteString("remote", message.Remote.ToString());
            writer.WriteBoolean("secure", message.Secure);
            if (message.User is not null) writer.WriteString("user", message.User);
            if (message.Ret is not null) writer.WriteString("ret", message.Ret);
            if (message.EnvId is not null) writer.WriteString("envid", message.EnvId);
            writer.WriteBoolean("smtputf8", message.SmtpUtf8);
            writer.WriteBoolean("8bitmime", message.EightBitMime);
            writer.WriteStartObject("extracted");
            foreach (var pair in message.Extracted)
            {
                writer.WritePropertyName(pair.Key);
                writer.WriteRawValue(pair.Value, skipInputValidation: true);
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a meta record back; throws <see cref="JsonException"/> or <see cref="KeyNotFoundException"/> on a damaged one.</summary>
    public static InboundMessage ReadMeta(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var recipients = new List<InboundRecipient>();
        foreach (var r in root.GetProperty("recipients").EnumerateArray())
        {
            recipients.Add(new InboundRecipient(
                r.GetProperty("recipient").GetString()!,
                r.TryGetProperty("notify", out var n) ? n.GetString() : null,
                r.TryGetProperty("orcpt", out var o) ? o.GetString() : null));
        }
        var extracted = new List<KeyValuePair<string, string>>();
        foreach (var property in root.GetProperty("extracted").EnumerateObject())
            extracted.Add(new(property.Name, property.Value.GetRawText()));
        return new InboundMessage
        {
            Id = root.GetProperty("id").GetString()!,
            Envelope = root.GetProperty("envelope").GetString()!,
            Recipients = recipients,
            Received = DateTimeOffset.Parse(root.GetProperty("received").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            HostName = root.GetProperty("hostname").GetString()!,
            Local = root.TryGetProperty("local", out var l) ? IPEndPoint.Parse(l.GetString()!) : null,
            Remote = root.TryGetProperty("remote", out var rm) ? IPEndPoint.Parse(rm.GetString()!) : null,
            Secure = root.GetProperty("secure").GetBoolean(),
            User = root.TryGetProperty("user", out var u) ? u.GetString() : null,
            Ret = root.TryGetProperty("ret", out var ret) ? ret.GetString() : null,
            EnvId = root.TryGetProperty("envid", out var e) ? e.GetString() : null,
            SmtpUtf8 = root.GetProperty("smtputf8").GetBoolean(),
            EightBitMime = root.GetProperty("8bitmime").GetBoolean(),
            Extracted = extracted,
        };
    }
}
