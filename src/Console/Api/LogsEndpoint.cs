using System.Globalization;
using System.Text.Json;
using MailerQ.Www.Http;
using MailerQ.Www.Core.Delivery;

namespace MailerQ.Www.Console.Api;

/// <summary>
/// <c>GET /api/logs?limit=&amp;q=&amp;domain=&amp;mta=&amp;tag=&amp;result=</c>: the send log's recent lines (the console's
/// Logs page), newest first, from the in-memory ring of <see cref="ISendLog"/>. <c>q</c> matches anywhere in the
/// line (any case); <c>domain</c> is the recipient's domain, <c>mta</c> the local IP, <c>tag</c> one of the
/// message's tags (each exact, any case); <c>result</c> is the disposition (<c>delivered</c>, <c>failed</c>,
/// <c>retry</c>).
/// </summary>
internal sealed class LogsEndpoint(ConsoleServices services)
{
    private const int DefaultLimit = 200;

    /// <summary>The ring never holds more (1000 in ours); larger asks are clamped by it anyway.</summary>
    private const int MaxLimit = 10_000;

    public ValueTask HandleAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (!QueryString.TryGetInt(query, "limit"u8, DefaultLimit, 0, MaxLimit, out int limit))
        {
            ApiJson.Error(context, 400, "limit must be a whole number from 0 to 10000");
            return ValueTask.CompletedTask;
        }
        if (!QueryString.TryGetText(query, "q"u8, out var text)
            || !QueryString.TryGetText(query, "domain"u8, out var domain)
            || !QueryString.TryGetText(query, "mta"u8, out var mta)
            || !QueryString.TryGetText(query, "tag"u8, out var tag)
            || !QueryString.TryGetText(query, "result"u8, out var result))
        {
            ApiJson.Error(context, 400, "malformed query");
            return ValueTask.CompletedTask;
        }
        if (result is not (null or "delivered" or "failed" or "retry"))
        {
            ApiJson.Error(context, 400, "result must be delivered, failed or retry");
            return ValueTask.CompletedTask;
        }

        var writer = ApiJson.Begin(context);
        writer.WriteStartArray();
        if (services.SendLog is { } log)
        {
            // The text filter runs inside the ring's lock; the structured ones on the copies it returns.
            int written = 0;
            foreach (var entry in log.Recent(log.Capacity, text))
            {
                if (written >= limit) break;
                if (!Matches(entry, domain, mta, tag, result)) continue;
                Write(writer, entry);
                written++;
            }
        }
        writer.WriteEndArray();
        ApiJson.End(writer);
        return ValueTask.CompletedTask;
    }

    internal static bool Matches(SendLogEntry entry, string? domain, string? mta, string? tag, string? result)
    {
        if (result is not null && entry.Disposition != result) return false;
        if (mta is not null && !string.Equals(entry.Mta, mta, StringComparison.OrdinalIgnoreCase)) return false;
        if (domain is not null)
        {
            int at = entry.Recipient.LastIndexOf('@');
            if (at < 0 || !entry.Recipient.AsSpan(at + 1).Equals(domain, StringComparison.OrdinalIgnoreCase)) return false;
        }
        if (tag is not null)
        {
            bool found = false;
            foreach (var t in entry.Tags)
            {
                if (string.Equals(t, tag, StringComparison.OrdinalIgnoreCase))
                {
                    found = true;
                    break;
                }
            }
            if (!found) return false;
        }
        return true;
    }

    private static void Write(Utf8JsonWriter writer, SendLogEntry entry)
    {
        writer.WriteStartObject();
        writer.WriteString("time"u8, entry.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        writer.WriteString("id"u8, entry.Id);
        writer.WriteString("disposition"u8, entry.Disposition);
        writer.WriteString("recipient"u8, entry.Recipient);
        writer.WriteString("state"u8, entry.State);
        writer.WriteString("result"u8, entry.Result);
        writer.WriteNumber("code"u8, entry.Code);
        WriteNullable(writer, "status"u8, entry.Status);
        writer.WriteNumber("attempt"u8, entry.Attempt);
        WriteNullable(writer, "mta"u8, entry.Mta);
        WriteNullable(writer, "remote"u8, entry.Remote);
        writer.WriteStartArray("tags"u8);
        foreach (var t in entry.Tags) writer.WriteStringValue(t);
        writer.WriteEndArray();
        writer.WriteString("description"u8, entry.Description);
        writer.WriteString("line"u8, entry.Line);
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (string.IsNullOrEmpty(value)) writer.WriteNull(name);
        else writer.WriteString(name, value);
    }
}
