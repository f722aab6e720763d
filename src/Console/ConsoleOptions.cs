using System.Globalization;
using System.Net;
using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Console;

/// <summary>
/// Where and how the console listens and who may log in. Either read from a MailerQ configuration with
/// <see cref="FromConfig(ConfigSet)"/> (problems are recorded as <c>FILE:LINE: key: reason</c> in
/// <see cref="ConfigSet.Diagnostics"/>) or set in code; <see cref="Validate"/> (and <see cref="ConsoleServer"/>'s
/// constructor) then checks the same rules and names the property at fault. The properties mirror the
/// <c>www-*</c> keys of docs/config.md.
/// </summary>
public sealed class ConsoleOptions
{
    private ConfigSet? _config;
    private WwwSettings? _www;

    /// <summary>Listen address (<c>www-ip</c>); null = every address, IPv4 and IPv6.</summary>
    public IPAddress? Address { get; init; }

    /// <summary>Plain HTTP port (<c>www-port</c>); null or 0 disables it.</summary>
    public int? Port { get; init; } = WwwSettings.DefaultPort;

    /// <summary>HTTPS port (<c>www-secure-port</c>); needs <see cref="Certificate"/> and <see cref="PrivateKey"/>. With both ports the plain one redirects.</summary>
    public int? SecurePort { get; init; }

    /// <summary>PEM certificate chain for HTTPS (<c>www-certificate</c>).</summary>
    public string? Certificate { get; init; }

    /// <summary>PEM private key for HTTPS (<c>www-privatekey</c>).</summary>
    public string? PrivateKey { get; init; }

    /// <summary>OpenSSL cipher list for HTTPS (<c>www-ciphers</c>); null = OpenSSL's default.</summary>
    public string? Ciphers { get; init; }

    /// <summary>The console's static files (<c>www-dir</c>); by default <c>www</c> next to the program.</summary>
    public string Directory { get; init; } = Path.Combine(AppContext.BaseDirectory, "www");

    /// <summary>
    /// Login backends in order (<c>www-auth</c> URLs such as <c>hardcoded://admin:$6$…</c>, <c>users://</c>,
    /// <c>ldap://…</c>). Empty = the first start creates user <c>admin</c> with a random password kept in
    /// <see cref="DataDirectory"/>.
    /// </summary>
    public IReadOnlyList<string> Auth { get; init; } = [];

    /// <summary>Where a generated admin password is kept when <see cref="Auth"/> is empty (<c>data-directory</c>).</summary>
    public string DataDirectory { get; init; } = GeneralSettings.DefaultDataDirectory;

    /// <summary>Cap on simultaneous HTTP connections, WebSockets included (<c>www-connections</c>).</summary>
    public int MaxConnections { get; init; } = WwwSettings.DefaultConnections;

    /// <summary><c>Cache-Control</c> for static files (<c>www-cache-control</c>); null = none.</summary>
    public string? CacheControl { get; init; }

    /// <summary>How other instances and links name this console (<c>www-host</c>); null = the machine's name.</summary>
    public string? Host { get; init; }

    /// <summary>The console's URL as others link to it (<c>www-url</c>); null = derived from host and port.</summary>
    public string? Url { get; init; }

    /// <summary>The only User-Agent allowed to render captured mail (<c>render-useragent</c>); null = every browser.</summary>
    public string? RenderUserAgent { get; init; }

    /// <summary>The config the options came from, or one made of the properties (origins <c>ConsoleOptions.Name</c>).</summary>
    internal ConfigSet Config => _config ??= ToConfig();

    /// <summary>The options as the console's settings; read once, problems in <see cref="ConfigSet.Diagnostics"/>.</summary>
    internal WwwSettings Www => _www ??= WwwSettings.Read(Config);

    /// <summary>Reads the <c>www-*</c> keys and <c>data-directory</c>; problems are recorded in <c>config.Diagnostics</c> with file and line.</summary>
    public static ConsoleOptions FromConfig(ConfigSet config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return FromConfig(config, GeneralSettings.Read(config));
    }

    /// <summary>For a host that reads <c>data-directory</c> itself (reading it twice would report its problems twice).</summary>
    internal static ConsoleOptions FromConfig(ConfigSet config, GeneralSettings general)
    {
        var www = WwwSettings.Read(config);
        var auth = new List<string>(www.Auth.Count);
        foreach (var entry in www.Auth) auth.Add(entry.Value);
        return new ConsoleOptions
        {
            _config = config,
            _www = www,
            Address = www.Ip,
            Port = www.Port,
            SecurePort = www.SecurePort,
            Certificate = www.Certificate,
            PrivateKey = www.PrivateKey,
            Ciphers = www.Ciphers,
            Directory = www.Dir,
            Auth = auth,
            DataDirectory = general.DataDirectory,
            MaxConnections = www.Connections,
            CacheControl = www.CacheControl,
            Host = www.Host,
            Url = www.Url,
            RenderUserAgent = www.RenderUserAgent,
        };
    }

    /// <summary>
    /// Checks the options by the config file's rules; throws <see cref="ArgumentException"/> listing every problem as
    /// <c>ConsoleOptions.Property: key: reason</c> (or <c>FILE:LINE: key: reason</c> for options read from a file).
    /// </summary>
    public void Validate()
    {
        _ = Www;
        ThrowIfErrors(Config.Diagnostics);
    }

    internal static void ThrowIfErrors(ConfigDiagnostics diagnostics)
    {
        if (!diagnostics.HasErrors) return;
        var lines = new List<string>();
        foreach (var d in diagnostics)
            if (d.Severity == ConfigSeverity.Error) lines.Add(d.ToString());
        throw new ArgumentException("invalid console options:\n" + string.Join('\n', lines));
    }

    /// <summary>The properties as config entries, each named after its property so errors point at it.</summary>
    private ConfigSet ToConfig()
    {
        var values = new Dictionary<string, IReadOnlyList<ConfigEntry>>(StringComparer.Ordinal);
        void Set(string key, string property, string? value)
        {
            if (value is not null) values[key] = [new ConfigEntry(key, value, ConfigOrigin.Named("ConsoleOptions." + property))];
        }
        Set("www-ip", nameof(Address), Address?.ToString());
        Set("www-port", nameof(Port), Port?.ToString(CultureInfo.InvariantCulture) ?? "");
        Set("www-secure-port", nameof(SecurePort), SecurePort?.ToString(CultureInfo.InvariantCulture));
        Set("www-certificate", nameof(Certificate), Certificate);
        Set("www-privatekey", nameof(PrivateKey), PrivateKey);
        Set("www-ciphers", nameof(Ciphers), Ciphers);
        Set("www-dir", nameof(Directory), Directory);
        Set("data-directory", nameof(DataDirectory), DataDirectory);
        Set("www-connections", nameof(MaxConnections), MaxConnections.ToString(CultureInfo.InvariantCulture));
        Set("www-cache-control", nameof(CacheControl), CacheControl);
        Set("www-host", nameof(Host), Host);
        Set("www-url", nameof(Url), Url);
        Set("render-useragent", nameof(RenderUserAgent), RenderUserAgent);
        var auth = new List<ConfigEntry>();
        for (int i = 0; i < Auth.Count; i++)
            auth.Add(new ConfigEntry("www-auth", Auth[i] ?? "", ConfigOrigin.Named(FormattableString.Invariant($"ConsoleOptions.Auth[{i}]"))));
        if (auth.Count > 0) values["www-auth"] = auth;
        return new ConfigSet(values, new ConfigDiagnostics());
    }
}
