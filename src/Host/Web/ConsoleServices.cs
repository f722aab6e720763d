using MailerQ.Www.Core.Metrics;
using MailerQ.Www.Http;
using MailerQ.Www.Host.Web.Api;
using MailerQ.Www.Host.Web.Auth;
using MailerQ.Www.Smtp;

namespace MailerQ.Www.Host.Web;

/// <summary>
/// What the console's read API reads from the rest of the program. The HTTP server and the SMTP server are
/// built after the console application (the application is the server's handler), so those two are set
/// once they exist; until then the routes answer with what they have (zeros, empty lists, 404).
/// </summary>
internal sealed class ConsoleServices
{
    public required OverviewCounters Overview { get; init; }

    public required MetricsRegistry Metrics { get; init; }

    /// <summary>Resolved on first use: finding the machine's FQDN may ask DNS, which must not delay the start.</summary>
    public required Lazy<ConsoleIdentity> Identity { get; init; }

    /// <summary>Console logins by scheme and result, for <c>/metrics</c>.</summary>
    public AuthResultCounters AuthResults { get; init; } = new();

    /// <summary><c>render-useragent</c>; null = every browser may render.</summary>
    public string? RenderUserAgent { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The inbound server's options: recent sessions, counters, message store, queue.</summary>
    public SmtpServerOptions? Smtp { get; set; }

    /// <summary>Queue sizes for <c>/api/stats</c> and <c>/metrics</c>; null until the queue exists.</summary>
    public QueueSizes? Queues { get; set; }

    public HttpServer? Http { get; set; }

    /// <summary>The delivery settings routes (REST API v1, /api/throttles, /api/tokens); null without a settings database.</summary>
    public Settings.SettingsApi? Settings { get; init; }

    /// <summary>The send log (the console's Logs page); set once delivery runs.</summary>
    public MailerQ.Www.Smtp.Delivery.Results.SendLog? SendLog { get; set; }

    /// <summary>The settings snapshot and store (pauses, forced errors, MTA labels); null without a settings database.</summary>
    public MailerQ.Www.Core.Settings.SettingsCache? DeliverySettings { get; init; }

    /// <summary>The delivery engine, for its read-only route views (Domains, MTA IPs); set once delivery runs.</summary>
    public MailerQ.Www.Smtp.Delivery.DeliveryEngine? Delivery { get; set; }

    /// <summary>This instance in its cluster (<c>/api/cluster</c>, switching consoles); set once the settings database is open.</summary>
    public MailerQ.Www.Host.Cluster.ClusterState? Cluster { get; set; }
}
