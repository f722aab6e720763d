using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Smtp.Cluster;

/// <summary>
/// The <c>cluster-*</c> keys (5.13/cluster.md): <c>cluster-address</c> (default <c>rabbitmq-address</c>),
/// <c>cluster-exchange</c> (default <c>cluster</c>), <c>cluster-timeout</c> (how long <c>--list-cluster</c> waits, 1 s),
/// and ours, <c>cluster-interval</c>: how often an instance announces itself.
/// </summary>
internal sealed class ClusterOptions
{
    /// <summary>MailerQ announces "every few minutes" (5.13/cluster.md) without a number; a minute makes a stopped instance stale within three.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(60);

    /// <summary>MailerQ's <c>cluster-timeout</c> default.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(1);

    /// <summary>An instance whose announcements are missing for this many periods is stale (issue 11 point 2).</summary>
    public const int StaleAfterPeriods = 3;

    /// <summary>The AMQP URL of the broker the exchange lives on.</summary>
    public required string Address { get; init; }

    public string Exchange { get; init; } = "cluster";

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    public TimeSpan Interval { get; init; } = DefaultInterval;

    /// <summary>Null when neither <c>cluster-address</c> nor <c>rabbitmq-address</c> is set: a lone instance.</summary>
    public static ClusterOptions? Read(ConfigSet config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var entry = config.Last("cluster-address");
        string? address = entry is { Value.Length: > 0 } ? entry.Value : config.Get("rabbitmq-address");
        if (string.IsNullOrEmpty(address)) return null;
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != "amqp" && uri.Scheme != "amqps") || uri.Host.Length == 0)
        {
            // rabbitmq-address reports its own errors (RabbitMqOptions); only a bad cluster-address is ours to report.
            if (entry is { Value.Length: > 0 }) config.Report(entry, $"{ConfigText.Quote(address)} is not an amqp:// or amqps:// address");
            return null;
        }
        var exchange = config.GetString("cluster-exchange", "cluster");
        if (exchange.Length == 0 || exchange.Length > 255)
        {
            config.Report(config.Last("cluster-exchange")!, "must be 1 to 255 characters (an AMQP exchange name)");
            exchange = "cluster";
        }
        var timeout = config.GetDuration("cluster-timeout", DefaultTimeout);
        if (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromMinutes(5))
        {
            config.Report(config.Last("cluster-timeout")!, "must be more than 0 and at most 300 seconds");
            timeout = DefaultTimeout;
        }
        var interval = config.GetDuration("cluster-interval", DefaultInterval);
        if (interval < TimeSpan.FromMilliseconds(100) || interval > TimeSpan.FromHours(1))
        {
            config.Report(config.Last("cluster-interval")!, "must be from 100ms to 3600 seconds");
            interval = DefaultInterval;
        }
        return new ClusterOptions { Address = address, Exchange = exchange, Timeout = timeout, Interval = interval };
    }
}
