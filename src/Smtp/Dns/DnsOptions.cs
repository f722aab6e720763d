using System.Globalization;
using System.Net;
using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Smtp.Dns;

/// <summary>
/// Resolver settings: MailerQ's <c>dns-min-ttl</c>, <c>dns-timeout</c>, <c>dns-attempts</c>
/// (5.13/dns-settings.md) and our <c>dns-servers</c>.
/// </summary>
internal sealed class DnsOptions
{
    /// <summary>MailerQ's documented <c>dns-min-ttl</c> default: answers are kept at least a minute.</summary>
    public static readonly TimeSpan DefaultMinTtl = TimeSpan.FromSeconds(60);

    /// <summary>Ours (MailerQ documents none): glibc's resolv.conf default <c>timeout:5</c>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Ours (MailerQ documents none): glibc's resolv.conf default <c>attempts:2</c>.</summary>
    public const int DefaultAttempts = 2;

    /// <summary>Upper bound for <c>dns-attempts</c>: catches a typo that would stall every delivery.</summary>
    public const int MaxAttempts = 10;

    /// <summary>Name servers to ask, in order; empty = the system's (<c>/etc/resolv.conf</c>).</summary>
    public IReadOnlyList<IPEndPoint> Servers { get; init; } = [];

    /// <summary>How long one query to one server may take.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Tries per query (the first included) before the lookup fails temporarily.</summary>
    public int Attempts { get; init; } = DefaultAttempts;

    /// <summary>Answers, negative ones included, are cached at least this long, whatever their TTL.</summary>
    public TimeSpan MinTtl { get; init; } = DefaultMinTtl;

    /// <summary>Reads the <c>dns-*</c> keys, recording problems against the entry that set them.</summary>
    public static DnsOptions FromConfig(ConfigSet config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var servers = new List<IPEndPoint>();
        foreach (string item in config.GetList("dns-servers"))
        {
            if (TryParseServer(item, out var server))
                servers.Add(server);
            else
                config.Report(config.Last("dns-servers")!, $"{ConfigText.Quote(item)} is not an IP address with an optional port (192.0.2.53, 192.0.2.53:5353, [2001:db8::53]:53)");
        }

        var timeout = config.GetDuration("dns-timeout", DefaultTimeout);
        if (timeout < TimeSpan.FromMilliseconds(10) || timeout > TimeSpan.FromMinutes(5))
        {
            config.Report(config.Last("dns-timeout")!, "must be from 10ms to 5 minutes");
            timeout = DefaultTimeout;
        }

        var minTtl = config.GetDuration("dns-min-ttl", DefaultMinTtl);
        return new DnsOptions
        {
            Servers = servers,
            Timeout = timeout,
            Attempts = config.GetInt("dns-attempts", DefaultAttempts, 1, MaxAttempts),
            MinTtl = minTtl,
        };
    }

    /// <summary>
    /// <c>ip</c>, <c>ip:port</c>, <c>[ipv6]:port</c> or a bare IPv6 address; port 53 when none is given.
    /// Shorthand IPv4 forms (<c>127.1</c>) are refused like everywhere else in the config.
    /// </summary>
    internal static bool TryParseServer(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPEndPoint? server)
    {
        server = null;
        string host = text;
        int port = 53;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
                return false;
            host = text[1..close];
            string rest = text[(close + 1)..];
            if (rest.Length > 0 && (!rest.StartsWith(':') || !TryParsePort(rest[1..], out port)))
                return false;
        }
        else if (text.Count(c => c == ':') == 1)
        {
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            host = text[..colon];
            if (!TryParsePort(text[(colon + 1)..], out port))
                return false;
        }
        if (!ConfigSet.TryParseIp(host, out var address))
            return false;
        server = new IPEndPoint(address, port);
        return true;
    }

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= IPEndPoint.MaxPort;
}
