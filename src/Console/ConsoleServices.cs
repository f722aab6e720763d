using MailerQ.Www.Core.Cluster;
using MailerQ.Www.Core.Delivery;
using MailerQ.Www.Core.Messages;
using MailerQ.Www.Core.Metrics;
using MailerQ.Www.Core.Sessions;
using MailerQ.Www.Http;
using MailerQ.Www.Console.Api;
using MailerQ.Www.Console.Auth;

namespace MailerQ.Www.Console;

/// <summary>
/// What the console's read API reads from the rest of the program. The HTTP server is built after the console
/// application (the application is the server's handler), and the mail side's providers after the console, so those
/// are set once they exist; until then the routes answer with what they have (zeros, empty lists, 404).
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

    /// <summary>The recent inbound sessions and their transcripts (<c>/api/smtp/sessions</c>).</summary>
    public RecentSessions Sessions { get; set; } = new();

    /// <summary>Inbound counters (<c>/api/stats</c> "inbound", <c>/metrics</c>).</summary>
    public SmtpCounters Inbound { get; set; } = new();

    /// <summary>Kept messages for the message view; null = none kept.</summary>
    public IMessageSource? Messages { get; set; }

    /// <summary>Queue sizes for <c>/api/stats</c> and <c>/metrics</c>; null until the queue exists.</summary>
    public IQueueSizes? Queues { get; set; }

    public HttpServer? Http { get; set; }

    /// <summary>The delivery settings routes (REST API v1, /api/throttles, /api/tokens); null without a settings database.</summary>
    public Settings.SettingsApi? Settings { get; init; }

    /// <summary>The send log (the console's Logs page); set once delivery runs.</summary>
    public ISendLog? SendLog { get; set; }

    /// <summary>The settings snapshot and store (pauses, forced errors, MTA labels); null without a settings database.</summary>
    public MailerQ.Www.Core.Settings.SettingsCache? DeliverySettings { get; init; }

    /// <summary>The delivery engine, for its read-only route views (Domains, MTA IPs); set once delivery runs.</summary>
    public IDeliveryView? Delivery { get; set; }

    /// <summary>This instance in its cluster (<c>/api/cluster</c>, switching consoles); set once the settings database is open.</summary>
    public IClusterView? Cluster { get; set; }
}
