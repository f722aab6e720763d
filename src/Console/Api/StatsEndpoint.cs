using System.Text.Json;
using MailerQ.Www.Core.Metrics;
using MailerQ.Www.Http;

namespace MailerQ.Www.Console.Api;

/// <summary>
/// <c>GET /api/stats</c> (the overview tiles: the six numbers for the last 60 s, the same since start, uptime,
/// inbound SMTP, queue sizes, HTTP) and <c>GET /api/stats/history?seconds=N</c> (per-second series for the
/// chart), both filtered by <c>?mta=&amp;domain=&amp;tag=</c> as MailerQ's overview page filters.
/// </summary>
internal sealed class StatsEndpoint(ConsoleServices services)
{
    /// <summary>The tiles' window (MailerQ's overview: "per 60 seconds").</summary>
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    private const int DefaultHistorySeconds = 60;

    public ValueTask StatsAsync(HttpContext context)
    {
        if (!TryReadFilter(context, out var filter)) return ValueTask.CompletedTask;
        var overview = services.Overview;
        var writer = ApiJson.Begin(context);
        writer.WriteStartObject();
        WriteSix(writer, overview.Last(Window, filter));
        writer.WriteStartObject("totals"u8);
        WriteSix(writer, overview.Totals(filter));
        writer.WriteEndObject();
        writer.WriteNumber("uptime"u8, (long)overview.Uptime.TotalSeconds);

        writer.WriteStartObject("inbound"u8);
        var counters = services.Inbound;
        writer.WriteNumber("connections"u8, counters.Connections);
        writer.WriteNumber("messages"u8, counters.Messages);
        writer.WriteNumber("bytes"u8, counters.Bytes);
        writer.WriteEndObject();

        writer.WriteStartObject("queue"u8);
        if (services.Queues is { } queues)
        {
            foreach (var (name, count) in queues.Read()) writer.WriteNumber(name, count);
        }
        writer.WriteEndObject();

        writer.WriteStartObject("http"u8);
        writer.WriteNumber("connections"u8, services.Http?.Limiter.Current ?? 0);
        writer.WriteNumber("websockets"u8, services.Metrics.Read("http.websockets") ?? 0);
        writer.WriteEndObject();
        writer.WriteEndObject();
        ApiJson.End(writer);
        return ValueTask.CompletedTask;
    }

    public ValueTask HistoryAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (!QueryString.TryGetInt(query, "seconds"u8, DefaultHistorySeconds, 1, OverviewLimits.HistorySeconds, out int seconds))
        {
            ApiJson.Error(context, 400, "seconds must be a whole number from 1 to 3600");
            return ValueTask.CompletedTask;
        }
        if (!TryReadFilter(context, out var filter)) return ValueTask.CompletedTask;

        var history = services.Overview.History(seconds, filter);
        var writer = ApiJson.Begin(context);
        writer.WriteStartObject();
        writer.WriteNumber("start"u8, history.FirstSecond);
        writer.WriteNumber("seconds"u8, history.Seconds.Length);
        // Columns, one array per number: what chart libraries (uPlot) take without reshaping.
        WriteColumn(writer, "connects"u8, history, OverviewEvent.Connect);
        WriteColumn(writer, "attempts"u8, history, OverviewEvent.Attempt);
        WriteColumn(writer, "deliveries"u8, history, OverviewEvent.Delivery);
        WriteColumn(writer, "errors"u8, history, OverviewEvent.Error);
        WriteColumn(writer, "strange"u8, history, OverviewEvent.Strange);
        WriteColumn(writer, "notTried"u8, history, OverviewEvent.NotTried);
        writer.WriteEndObject();
        ApiJson.End(writer);
        return ValueTask.CompletedTask;
    }

    private static void WriteColumn(Utf8JsonWriter writer, ReadOnlySpan<byte> name, OverviewHistory history, OverviewEvent kind)
    {
        writer.WriteStartArray(name);
        foreach (var second in history.Seconds) writer.WriteNumberValue(second[kind]);
        writer.WriteEndArray();
    }

    private static void WriteSix(Utf8JsonWriter writer, OverviewSnapshot s)
    {
        writer.WriteNumber("connects"u8, s.Connects);
        writer.WriteNumber("attempts"u8, s.Attempts);
        writer.WriteNumber("deliveries"u8, s.Deliveries);
        writer.WriteNumber("errors"u8, s.Errors);
        writer.WriteNumber("strange"u8, s.Strange);
        writer.WriteNumber("notTried"u8, s.NotTried);
    }

    private static bool TryReadFilter(HttpContext context, out OverviewFilter filter)
    {
        var query = context.Request.Query;
        if (QueryString.TryGetText(query, "mta"u8, out var mta)
            && QueryString.TryGetText(query, "domain"u8, out var domain)
            && QueryString.TryGetText(query, "tag"u8, out var tag))
        {
            filter = new OverviewFilter(mta, domain, tag);
            return true;
        }
        filter = default;
        ApiJson.Error(context, 400, "malformed filter (mta, domain, tag)");
        return false;
    }
}
