using System.Net;
using MailerQ.Www.Core.Config;
using MailerQ.Www.Smtp.Client;

namespace MailerQ.Www.Smtp.Delivery;

/// <summary>
/// The config-file side of delivery (MailerQ keeps throttles, pauses and the like in the database; these are
/// the keys that stay in the file): relays, source IPs, EHLO name, concurrency.
/// </summary>
internal sealed class DeliveryOptions
{
    /// <summary><c>smtp-sink-address</c>/<c>-port</c>/<c>-username</c>/<c>-password</c>: a debug sink that receives ALL outbound mail.</summary>
    public Relay? Sink { get; init; }

    /// <summary><c>smarthost</c>/<c>-port</c>/<c>-username</c>/<c>-password</c>: relay everything through one host.</summary>
    public Relay? Smarthost { get; init; }

    /// <summary><c>smtp-default-ips</c>: source IPs for messages without <c>ips</c>/<c>pool</c>; empty = the OS picks.</summary>
    public IReadOnlyList<IPAddress> DefaultIps { get; init; } = [];

    /// <summary>EHLO name when <c>mtanames</c> has none for the source IP: this host's name.</summary>
    public string HostName { get; init; } = System.Net.Dns.GetHostName();

    /// <summary>Messages being worked on at once (MailerQ's <c>rabbitmq-qos</c>, default 1000).</summary>
    public int MaxInFlight { get; init; } = 1000;

    /// <summary><c>smtp-connections-out</c>: cap on simultaneous outbound connections (0 = none).</summary>
    public int MaxConnections { get; init; }

    /// <summary>Security when the message has no <c>security</c> property.</summary>
    public DeliverySecurity DefaultSecurity { get; init; } = DeliverySecurity.Optional;

    /// <summary>Where paused mail is parked until its pause ends (an embedded queue name).</summary>
    public string ParkingQueue { get; init; } = "paused";

    /// <summary>How often parked mail is checked against the pauses (and expired pauses resumed).</summary>
    public TimeSpan ResumeInterval { get; init; } = TimeSpan.FromSeconds(1);

    public static DeliveryOptions Read(ConfigSet config, string hostName)
    {
        var defaults = new List<IPAddress>();
        foreach (var item in config.GetList("smtp-default-ips"))
        {
            if (IPAddress.TryParse(item, out var ip))
                defaults.Add(ip);
            else
                config.Report(config.Last("smtp-default-ips")!, $"{ConfigText.Quote(item)} is not an IP address");
        }
        int outbound = config.Contains("smtp-connections-out") ? config.GetInt("smtp-connections-out", 0, 0, 1_000_000) : 0;
        return new DeliveryOptions
        {
            Sink = ReadRelay(config, "smtp-sink-address", "smtp-sink-port", "smtp-sink-username", "smtp-sink-password"),
            Smarthost = ReadRelay(config, "smarthost", "smarthost-port", "smarthost-username", "smarthost-password"),
            DefaultIps = defaults,
            HostName = hostName,
            MaxInFlight = config.Contains("rabbitmq-qos") ? config.GetInt("rabbitmq-qos", 1000, 1, 1_000_000) : 1000,
            MaxConnections = outbound,
        };
    }

    private static Relay? ReadRelay(ConfigSet config, string hostKey, string portKey, string userKey, string passwordKey)
    {
        string? host = config.Get(hostKey);
        if (string.IsNullOrWhiteSpace(host))
            return null;
        int port = config.GetPort(portKey, 25, allowEmpty: false) ?? 25;
        return new Relay(host.Trim(), port, config.Get(userKey) is { Length: > 0 } u ? u : null, config.Get(passwordKey) is { Length: > 0 } p ? p : null);
    }
}

/// <summary>A fixed next hop (sink, smarthost, or a message's <c>smarthost</c>).</summary>
internal sealed record Relay(string Host, int Port, string? Username, string? Password);
