using MailerQ.Www.Core.Metrics;
using MailerQ.Www.Http;
using MailerQ.Www.Http.Connections;
using MailerQ.Www.Console.Api;
using MailerQ.Www.Core.Sessions;

namespace MailerQ.Www.Console.Metrics;

/// <summary>
/// <c>GET /metrics</c> in Prometheus' text format (contract: <c>text/plain; version=0.0.4</c>, protected, Basic
/// works so a scraper can log in). Every family is documented in docs/console-api.md.
/// </summary>
internal sealed class PrometheusEndpoint(ConsoleServices services)
{
    private static readonly byte[] ContentType = "text/plain; version=0.0.4; charset=utf-8"u8.ToArray();

    /// <summary><see cref="ConnectionPhase"/> values as label values, in enum order.</summary>
    private static readonly string[] PhaseNames = ["handshake", "reading_head", "idle", "reading_body", "handling", "writing", "websocket"];

    private static readonly (OverviewEvent Kind, string Label)[] Events =
    [
        (OverviewEvent.Connect, "connect"), (OverviewEvent.Attempt, "attempt"), (OverviewEvent.Delivery, "delivery"),
        (OverviewEvent.Error, "error"), (OverviewEvent.Strange, "strange"), (OverviewEvent.NotTried, "not_tried"),
    ];

    public ValueTask HandleAsync(HttpContext context)
    {
        var text = new PrometheusText();
        WriteHttp(text);
        WriteSmtp(text);
        WriteQueues(text);
        WriteDelivery(text);
        WriteAuth(text);
        WriteTrace(text);

        var response = context.Response;
        response.SetContentType(ContentType);
        ApiJson.NoStore(response);
        response.Write(text.ToString());
        return ValueTask.CompletedTask;
    }

    private void WriteHttp(PrometheusText text)
    {
        var server = services.Http;
        Span<long> phases = stackalloc long[PhaseNames.Length];
        server?.CountConnectionsByPhase(phases);
        text.Family("mailerq_http_connections", "gauge", "Open console connections (plain, TLS and websocket) by state.");
        for (int i = 0; i < PhaseNames.Length; i++) text.Sample("mailerq_http_connections", "state", PhaseNames[i], phases[i]);
        text.Family("mailerq_http_connections_limit", "gauge", "www-connections: the cap on simultaneous console connections.");
        text.Sample("mailerq_http_connections_limit", (long)(server?.Limiter.Limit ?? 0));
        text.Family("mailerq_http_websockets", "gauge", "Open console websockets.");
        text.Sample("mailerq_http_websockets", services.Metrics.Read("http.websockets") ?? 0);
        text.Family("mailerq_http_responses_total", "counter", "HTTP responses sent, by status class (503s to connections over the cap included).");
        for (int c = 1; c <= 5; c++) text.Sample("mailerq_http_responses_total", "code", $"{c}xx", server?.ResponsesOfClass(c) ?? 0);
        text.Family("mailerq_http_rejected_connections_total", "counter", "Connections answered 503 because www-connections was reached.");
        text.Sample("mailerq_http_rejected_connections_total", server?.RejectedConnections ?? 0);
    }

    private void WriteSmtp(PrometheusText text)
    {
        var counters = services.Inbound;
        text.Family("mailerq_smtp_inbound_connections_total", "counter", "Inbound SMTP connections accepted.");
        text.Sample("mailerq_smtp_inbound_connections_total", counters.Connections);
        text.Family("mailerq_smtp_inbound_messages_total", "counter", "Inbound messages accepted (250 after DATA/BDAT).");
        text.Sample("mailerq_smtp_inbound_messages_total", counters.Messages);
        text.Family("mailerq_smtp_inbound_bytes_total", "counter", "Bytes of inbound messages accepted.");
        text.Sample("mailerq_smtp_inbound_bytes_total", counters.Bytes);
        text.Family("mailerq_smtp_inbound_rejections_total", "counter", "Inbound commands or connections refused, by reason.");
        foreach (var reason in Enum.GetValues<SmtpRejection>())
            text.Sample("mailerq_smtp_inbound_rejections_total", "reason", ReasonLabel(reason), counters.Rejections(reason));
    }

    private void WriteQueues(PrometheusText text)
    {
        text.Family("mailerq_queue_messages", "gauge", "Messages waiting in the embedded queue, by queue name.");
        if (services.Queues is { } queues)
        {
            foreach (var (name, count) in queues.Read()) text.Sample("mailerq_queue_messages", "queue", name, count);
        }
    }

    private void WriteDelivery(PrometheusText text)
    {
        var totals = services.Overview.Totals(OverviewFilter.None);
        text.Family("mailerq_delivery_events_total", "counter", "Outgoing delivery events since start, as MailerQ's overview counts them.");
        foreach (var (kind, label) in Events) text.Sample("mailerq_delivery_events_total", "event", label, totals[kind]);

        var latency = services.Overview.Latency;
        var cumulative = latency.Cumulative();
        text.Family("mailerq_delivery_latency_seconds", "histogram", "Time from accepting a message to its delivery.");
        for (int i = 0; i < LatencyHistogram.Bounds.Length; i++)
            text.Sample("mailerq_delivery_latency_seconds_bucket", "le", PrometheusText.Format(LatencyHistogram.Bounds[i]), cumulative[i]);
        text.Sample("mailerq_delivery_latency_seconds_bucket", "le", "+Inf", cumulative[^1]);
        text.Sample("mailerq_delivery_latency_seconds_sum", latency.SumSeconds);
        text.Sample("mailerq_delivery_latency_seconds_count", cumulative[^1]);
    }

    private void WriteAuth(PrometheusText text)
    {
        text.Family("mailerq_auth_results_total", "counter", "Console logins (form and Basic) by www-auth scheme and result; locked = refused by the failed-login throttle.");
        foreach (var (scheme, result, count) in services.AuthResults.Snapshot())
            text.Sample("mailerq_auth_results_total", "scheme", scheme, "result", result, count);
    }

    private void WriteTrace(PrometheusText text)
    {
        text.Family("mailerq_trace_subscribers", "gauge", "Websockets subscribed to the live SMTP trace.");
        text.Sample("mailerq_trace_subscribers", services.Metrics.Read("trace.subscribers") ?? 0);
        text.Family("mailerq_trace_chunks_total", "counter", "SMTP trace chunks published.");
        text.Sample("mailerq_trace_chunks_total", services.Metrics.Read("trace.chunks") ?? 0);
        text.Family("mailerq_trace_dropped_total", "counter", "SMTP trace chunks dropped for subscribers that could not keep up.");
        text.Sample("mailerq_trace_dropped_total", services.Metrics.Read("trace.dropped") ?? 0);
    }

    /// <summary><c>TooManyRecipients</c> → <c>too_many_recipients</c>.</summary>
    private static string ReasonLabel(SmtpRejection reason)
    {
        string name = reason.ToString();
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) builder.Append('_');
            builder.Append(char.ToLowerInvariant(name[i]));
        }
        return builder.ToString();
    }
}
