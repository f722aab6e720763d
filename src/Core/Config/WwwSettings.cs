using System.Net;

namespace MailerQ.Www.Core.Config;

/// <summary>
/// The management console's settings (5.13/management-console.md, CONTRACT.md "Config file"), read from a
/// <see cref="ConfigSet"/> with every problem recorded in <see cref="ConfigSet.Diagnostics"/>.
/// Paths are absolute: relative ones are resolved against the working directory (docs/config.md).
/// </summary>
public sealed class WwwSettings
{
    /// <summary>MailerQ's default console port (management-console.md: "8485 is the default").</summary>
    public const int DefaultPort = 8485;

    /// <summary>MailerQ's default console files (management-console.md).</summary>
    public const string DefaultDir = "/usr/share/mailerq/current/www";

    /// <summary>
    /// Ours: MailerQ documents no default, only the example 10. A browser opens up to 6 connections per
    /// host plus the WebSocket, so 10 would lock out a second operator; 64 serves several at once while
    /// still bounding file descriptors.
    /// </summary>
    public const int DefaultConnections = 64;

    /// <summary>
    /// Upper bound for <c>www-connections</c>: far above any console load, low enough to catch a
    /// mistyped extra digit before it turns into a file-descriptor exhaustion.
    /// </summary>
    public const int MaxConnections = 100_000;

    /// <summary>Plain HTTP port, or null when <c>www-port</c> is 0 or empty (disabled).</summary>
    public int? Port { get; init; }

    /// <summary>HTTPS port, or null when <c>www-secure-port</c> is unset, empty or 0.</summary>
    public int? SecurePort { get; init; }

    /// <summary>
    /// Listen address; null = every address, IPv4 and IPv6 (MailerQ: "all available IP's").
    /// <c>0.0.0.0</c> and <c>::</c> are taken literally (IPv4 only / IPv6 socket).
    /// </summary>
    public IPAddress? Ip { get; init; }

    /// <summary>Absolute path of the console's static files.</summary>
    public required string Dir { get; init; }

    /// <summary>Exact cap on simultaneous HTTP connections, WebSockets included.</summary>
    public int Connections { get; init; } = DefaultConnections;

    /// <summary>Cache-Control value for static files; null = send no header (MailerQ's default).</summary>
    public string? CacheControl { get; init; }

    /// <summary>Absolute path of <c>www-certificate</c>, or null. Checked by the TLS set-up, not here.</summary>
    public string? Certificate { get; init; }

    /// <summary>Absolute path of <c>www-privatekey</c> (alias <c>www-private-key</c>), or null.</summary>
    public string? PrivateKey { get; init; }

    /// <summary>OpenSSL cipher list from <c>www-ciphers</c>, or null.</summary>
    public string? Ciphers { get; init; }

    /// <summary><c>www-host</c>, or null to auto-detect.</summary>
    public string? Host { get; init; }

    /// <summary><c>www-url</c>, or null to derive it from host and port.</summary>
    public string? Url { get; init; }

    /// <summary><c>render-useragent</c>: the only User-Agent allowed to render captured mail; null = none.</summary>
    public string? RenderUserAgent { get; init; }

    /// <summary><c>www-pam-service</c> (ours) for <c>users://</c> logins, or null for the Auth default.</summary>
    public string? PamService { get; init; }

    /// <summary>
    /// The <c>www-auth</c> lines in order, with their origins for error messages. Empty lines are dropped,
    /// so <c>MAILERQ_WWW_AUTH=</c> clears the lists of lower layers.
    /// </summary>
    public IReadOnlyList<ConfigEntry> Auth { get; init; } = [];

    /// <summary>Pre-5.12 <c>www-password</c> (single password for user <c>admin</c>), or null.</summary>
    public string? Password { get; init; }

    /// <summary>True when at least one of HTTP or HTTPS listens.</summary>
    public bool Enabled => Port is not null || SecurePort is not null;

    /// <summary>Reads and validates the console settings.</summary>
    public static WwwSettings Read(ConfigSet config) =>
        Read(config, Directory.GetCurrentDirectory(), LocalAddresses.IsAssigned);

    /// <summary>Reads with an explicit working directory and local-address check (tests).</summary>
    internal static WwwSettings Read(ConfigSet config, string workingDirectory, Func<IPAddress, bool> isLocalAddress)
    {
        ArgumentNullException.ThrowIfNull(config);

        // 0 disables plain HTTP (MailerQ 4.x advice); empty does too (CONTRACT.md).
        int? port = config.GetPort("www-port", DefaultPort, allowEmpty: true);
        if (port == 0)
            port = null;
        int? securePort = config.GetPort("www-secure-port", null, allowEmpty: true);
        if (securePort == 0)
            securePort = null;
        if (port is not null && port == securePort)
            config.Report(config.Last("www-secure-port")!, FormattableString.Invariant($"{securePort} is also www-port ({config.OriginOf("www-port")})"));

        var ip = config.GetIpAddress("www-ip");
        if (ip is not null && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any) && !isLocalAddress(ip))
            config.Report(config.Last("www-ip")!, $"{config.Get("www-ip")} is not an address of this host");

        return new WwwSettings
        {
            Port = port,
            SecurePort = securePort,
            Ip = ip,
            Dir = ReadDir(config, workingDirectory, consoleEnabled: port is not null || securePort is not null),
            Connections = config.GetInt("www-connections", DefaultConnections, 1, MaxConnections),
            CacheControl = ReadCacheControl(config),
            Certificate = ReadPath(config, "www-certificate", workingDirectory),
            PrivateKey = ReadPath(config, "www-privatekey", workingDirectory),
            Ciphers = NullIfEmpty(config.Get("www-ciphers")),
            Host = ReadHost(config),
            Url = ReadUrl(config),
            RenderUserAgent = NullIfEmpty(config.Get("render-useragent")),
            PamService = NullIfEmpty(config.Get("www-pam-service")),
            Auth = ReadAuth(config),
            Password = NullIfEmpty(config.Get("www-password")),
        };
    }

    /// <summary>
    /// The console files must be a directory, but only when the console listens: a host that turns the
    /// console off should not need MailerQ's www package installed.
    /// </summary>
    private static string ReadDir(ConfigSet config, string workingDirectory, bool consoleEnabled)
    {
        var entry = config.Last("www-dir");
        if (entry is null)
            return DefaultDir;
        if (entry.Value.Length == 0)
        {
            config.Report(entry, "must not be empty");
            return DefaultDir;
        }

        string dir = Path.GetFullPath(entry.Value, workingDirectory);
        if (consoleEnabled && !Directory.Exists(dir))
        {
            config.Report(entry, File.Exists(dir)
                ? $"{ConfigText.Quote(dir)} is a file, not a directory"
                : $"directory {ConfigText.Quote(dir)} does not exist");
        }
        return dir;
    }

    /// <summary>
    /// The value goes verbatim into a response header, so it must be a valid field value (RFC 9110 section 5.5):
    /// visible ASCII, spaces and tabs. CR or LF would split the header (response splitting); other controls
    /// and non-ASCII bytes have no meaning in Cache-Control (RFC 9111 section 5.2).
    /// </summary>
    private static string? ReadCacheControl(ConfigSet config)
    {
        var entry = config.Last("www-cache-control");
        if (entry is null || entry.Value.Length == 0)
            return null;
        foreach (char c in entry.Value)
        {
            if (c is not ('\t' or (>= ' ' and <= '~')))
            {
                config.Report(entry, $"{ConfigText.Quote(entry.Value)} contains a control or non-ASCII character; an HTTP header allows only visible ASCII, spaces and tabs (RFC 9110 section 5.5)");
                return null;
            }
        }
        return entry.Value;
    }

    private static List<ConfigEntry> ReadAuth(ConfigSet config)
    {
        var auth = new List<ConfigEntry>();
        foreach (var entry in config.GetAll("www-auth"))
        {
            if (entry.Value.Length > 0)
                auth.Add(entry);
        }
        return auth;
    }

    private static string? ReadPath(ConfigSet config, string key, string workingDirectory)
    {
        var value = config.Get(key);
        return string.IsNullOrEmpty(value) ? null : Path.GetFullPath(value, workingDirectory);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>
    /// <c>www-host</c>: how other instances and links name this console (issue 11 point 3), so it must be a host name
    /// (RFC 1123 labels) or an IP literal, without scheme, port or path.
    /// </summary>
    private static string? ReadHost(ConfigSet config)
    {
        var entry = config.Last("www-host");
        if (entry is null || entry.Value.Length == 0)
            return null;
        string host = entry.Value;
        string bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        var kind = Uri.CheckHostName(bare);
        if (host.Length > 253 || kind is UriHostNameType.Unknown or UriHostNameType.Basic
            || (kind == UriHostNameType.IPv6 && !IPAddress.TryParse(bare, out _)))
        {
            config.Report(entry, $"{ConfigText.Quote(host)} is not a host name or IP address (no scheme, port or path: those belong in www-url)");
            return null;
        }
        return host;
    }

    /// <summary>
    /// <c>www-url</c>: the console's address as other instances link to it: an absolute <c>http://</c> or <c>https://</c>
    /// URL with a host, no user name, query or fragment. A trailing slash is dropped so paths can be appended.
    /// </summary>
    private static string? ReadUrl(ConfigSet config)
    {
        var entry = config.Last("www-url");
        if (entry is null || entry.Value.Length == 0)
            return null;
        if (!Uri.TryCreate(entry.Value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.Host.Length == 0 || uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0
            || entry.Value.Contains(' ', StringComparison.Ordinal))
        {
            config.Report(entry, $"{ConfigText.Quote(entry.Value)} is not an http:// or https:// URL of the console (like https://mta1.example.com:8485)");
            return null;
        }
        return entry.Value.TrimEnd('/');
    }
}
