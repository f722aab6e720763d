using System.Globalization;
using System.Net;

namespace MailerQ.Www.Core.Config;

/// <summary>
/// The inbound SMTP server's settings (5.13/smtp-server.md, CONTRACT.md "Mail"), read from a
/// <see cref="ConfigSet"/> with every problem recorded as <c>FILE:LINE: key: reason</c>.
/// </summary>
public sealed class SmtpSettings
{
    /// <summary>MailerQ's default <c>smtp-timeout</c>: 300 s (smtp-server.md; RFC 5321 section 4.5.3.2.7 server timeout is 5 min).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Ours, used when <c>smtp-maxsize</c> is unset: the value MailerQ's docs use as the example
    /// (<c>smtp-maxsize: 100MB</c>). Messages go to disk, so this bounds disk per message, not memory.
    /// </summary>
    public const long DefaultMaxSize = 100L * 1024 * 1024;

    /// <summary>
    /// Ours, used when neither <c>smtp-connections</c> nor <c>smtp-connections-in</c> is set: MailerQ documents no
    /// default; 1024 bounds file descriptors while far above what one MTA receives at once.
    /// </summary>
    public const int DefaultConnections = 1024;

    /// <summary>Upper bound for the connection keys: catches a mistyped extra digit.</summary>
    public const int MaxConnections = 1_000_000;

    /// <summary>Plain SMTP ports (STARTTLS when a certificate is set); empty = no plain listener.</summary>
    public IReadOnlyList<int> Ports { get; init; } = [25];

    /// <summary>Implicit-TLS ports (<c>smtp-secure-port</c>, RFC 8314).</summary>
    public IReadOnlyList<int> SecurePorts { get; init; } = [];

    /// <summary><c>smtp-ip</c>; null = every address, IPv4 and IPv6.</summary>
    public IPAddress? Ip { get; init; }

    /// <summary>Absolute path of <c>smtp-certificate</c>, or null.</summary>
    public string? Certificate { get; init; }

    /// <summary>Absolute path of <c>smtp-key</c>, or null.</summary>
    public string? Key { get; init; }

    /// <summary>OpenSSL cipher list from <c>smtp-ciphers</c>, or null for OpenSSL's defaults.</summary>
    public string? Ciphers { get; init; }

    /// <summary>Largest message accepted and advertised with SIZE (RFC 1870), in bytes.</summary>
    public long MaxSize { get; init; } = DefaultMaxSize;

    /// <summary>Per-command idle timeout (<c>smtp-timeout</c>).</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>
    /// <c>smtp-range</c>: networks whose clients may relay without AUTH. Default loopback only
    /// (CONTRACT.md: never an open relay by default). Loopback is always allowed whatever is set.
    /// </summary>
    public IReadOnlyList<IPNetwork> Range { get; init; } = LoopbackRange;

    /// <summary>True when <c>smtp-range</c> was set explicitly (the default says so in the log).</summary>
    public bool RangeConfigured { get; init; }

    /// <summary>The exact cap on simultaneous inbound connections: the smaller of <c>smtp-connections</c> and <c>smtp-connections-in</c>.</summary>
    public int ConnectionsIn { get; init; } = DefaultConnections;

    /// <summary><c>smtp-auth</c> lines in order (same schemes as <c>www-auth</c>); empty = no AUTH offered.</summary>
    public IReadOnlyList<ConfigEntry> Auth { get; init; } = [];

    /// <summary><c>smtp-extract</c>: turn <c>x-mq-*</c> headers into JSON properties (default true).</summary>
    public bool Extract { get; init; } = true;

    /// <summary><c>dsn-advertise</c>: offer the DSN extension (CONTRACT.md: advertised by default).</summary>
    public bool AdvertiseDsn { get; init; } = true;

    /// <summary>True when a certificate and key are configured, so STARTTLS can be offered.</summary>
    public bool TlsConfigured => Certificate is not null && Key is not null;

    /// <summary>127.0.0.0/8 and ::1: Postfix's default <c>mynetworks</c> idea, and our default <c>smtp-range</c>.</summary>
    public static IReadOnlyList<IPNetwork> LoopbackRange { get; } =
        [new IPNetwork(IPAddress.Parse("127.0.0.0"), 8), new IPNetwork(IPAddress.IPv6Loopback, 128)];

    /// <summary>Reads and validates the inbound SMTP settings.</summary>
    public static SmtpSettings Read(ConfigSet config) =>
        Read(config, Directory.GetCurrentDirectory(), LocalAddresses.IsAssigned);

    /// <summary>Reads with an explicit working directory and local-address check (tests).</summary>
    internal static SmtpSettings Read(ConfigSet config, string workingDirectory, Func<IPAddress, bool> isLocalAddress)
    {
        ArgumentNullException.ThrowIfNull(config);
        var ports = ReadPorts(config, "smtp-port");
        var securePorts = ReadPorts(config, "smtp-secure-port");
        foreach (int port in securePorts)
        {
            if (ports.Contains(port))
                config.Report(config.Last("smtp-secure-port")!, FormattableString.Invariant($"port {port} is also in smtp-port ({config.OriginOf("smtp-port")})"));
        }

        var ip = config.GetIpAddress("smtp-ip");
        if (ip is not null && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any) && !isLocalAddress(ip))
            config.Report(config.Last("smtp-ip")!, $"{config.Get("smtp-ip")} is not an address of this host");

        string? certificate = ReadPath(config, "smtp-certificate", workingDirectory);
        string? key = ReadPath(config, "smtp-key", workingDirectory);
        if ((certificate is null) != (key is null))
        {
            var set = config.Last(certificate is null ? "smtp-key" : "smtp-certificate")!;
            config.Report(set, certificate is null ? "needs smtp-certificate as well" : "needs smtp-key as well");
        }
        if (securePorts.Count > 0 && (certificate is null || key is null))
            config.Report(config.Last("smtp-secure-port")!, "implicit TLS needs smtp-certificate and smtp-key");

        var auth = new List<ConfigEntry>();
        foreach (var entry in config.GetAll("smtp-auth"))
        {
            if (entry.Value.Length > 0)
                auth.Add(entry);
        }
        // smtp-server.md: AUTH requires TLS; we offer it only on a secured session, so without a certificate it could never be used.
        if (auth.Count > 0 && (certificate is null || key is null))
            config.Report(auth[0], "AUTH is offered only over TLS, so it needs smtp-certificate and smtp-key");

        long maxSize = config.GetSize("smtp-maxsize", DefaultMaxSize);
        if (maxSize <= 0)
        {
            config.Report(config.Last("smtp-maxsize")!, "must be larger than 0");
            maxSize = DefaultMaxSize;
        }

        var timeout = config.GetDuration("smtp-timeout", DefaultTimeout);
        if (timeout < TimeSpan.FromSeconds(1))
        {
            config.Report(config.Last("smtp-timeout")!, "must be at least 1 second");
            timeout = DefaultTimeout;
        }

        var (range, rangeConfigured) = ReadRange(config);

        int? total = ReadOptionalInt(config, "smtp-connections");
        int? inbound = ReadOptionalInt(config, "smtp-connections-in");
        int connections = (total, inbound) switch
        {
            (null, null) => DefaultConnections,
            (int t, null) => t,
            (null, int i) => i,
            (int t, int i) => Math.Min(t, i),
        };

        return new SmtpSettings
        {
            Ports = ports,
            SecurePorts = securePorts,
            Ip = ip,
            Certificate = certificate,
            Key = key,
            Ciphers = string.IsNullOrEmpty(config.Get("smtp-ciphers")) ? null : config.Get("smtp-ciphers"),
            MaxSize = maxSize,
            Timeout = timeout,
            Range = range,
            RangeConfigured = rangeConfigured,
            ConnectionsIn = connections,
            Auth = auth,
            Extract = config.GetBool("smtp-extract", true),
            AdvertiseDsn = config.GetBool("dsn-advertise", true),
        };
    }

    /// <summary>smtp-server.md: "comma list and ranges (<c>25,2525,1024-1026</c>)". 0 or empty disables.</summary>
    private static List<int> ReadPorts(ConfigSet config, string key)
    {
        var ports = new List<int>();
        var entry = config.Last(key);
        foreach (var item in config.GetList(key))
        {
            int dash = item.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                if (!TryPort(item, out int port))
                {
                    config.Report(entry!, $"{ConfigText.Quote(item)} is not a port number (1-65535)");
                    continue;
                }
                if (port != 0 && !ports.Contains(port))
                    ports.Add(port);
                continue;
            }
            if (!TryPort(item[..dash].Trim(), out int first) || !TryPort(item[(dash + 1)..].Trim(), out int last) || first == 0 || last < first)
            {
                config.Report(entry!, $"{ConfigText.Quote(item)} is not a port range (FIRST-LAST, 1-65535)");
                continue;
            }
            // A range of thousands of listeners is almost surely a typo and would exhaust descriptors.
            if (last - first >= 1024)
            {
                config.Report(entry!, $"{ConfigText.Quote(item)} spans more than 1024 ports");
                continue;
            }
            for (int p = first; p <= last; p++)
            {
                if (!ports.Contains(p))
                    ports.Add(p);
            }
        }
        return ports;
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= IPEndPoint.MaxPort;

    private static (IReadOnlyList<IPNetwork> Range, bool Configured) ReadRange(ConfigSet config)
    {
        var entry = config.Last("smtp-range");
        if (entry is null || entry.Value.Length == 0)
            return (LoopbackRange, false);
        var networks = new List<IPNetwork>();
        foreach (var item in config.GetList("smtp-range"))
        {
            if (TryParseNetwork(item, out var network))
                networks.Add(network);
            else
                config.Report(entry, $"{ConfigText.Quote(item)} is not an address or CIDR network (10.0.0.0/8, 2001:db8::/32)");
        }
        return (networks, true);
    }

    /// <summary>A CIDR or a single address (taken as /32 or /128); host bits must be zero, as MailerQ's examples.</summary>
    internal static bool TryParseNetwork(string text, out IPNetwork network)
    {
        network = default;
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        string addressText = slash < 0 ? text : text[..slash];
        if (!ConfigSet.TryParseIp(addressText, out var address))
            return false;
        int maxBits = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        int bits = maxBits;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out bits) || bits > maxBits))
            return false;
        // IPNetwork.TryParse clears host bits silently; 10.0.0.1/8 is more likely a typo than meant as 10.0.0.0/8.
        if (!IPNetwork.TryParse(address + "/" + bits.ToString(CultureInfo.InvariantCulture), out network))
            return false;
        return network.BaseAddress.Equals(address);
    }

    private static int? ReadOptionalInt(ConfigSet config, string key)
    {
        var entry = config.Last(key);
        if (entry is null || entry.Value.Length == 0)
            return null;
        return config.GetInt(key, DefaultConnections, 1, MaxConnections);
    }

    private static string? ReadPath(ConfigSet config, string key, string workingDirectory)
    {
        var value = config.Get(key);
        return string.IsNullOrEmpty(value) ? null : Path.GetFullPath(value, workingDirectory);
    }
}
