using System.Net;
using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Core.Tests.Config;

public sealed class WwwSettingsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public WwwSettingsTests()
    {
        _dir.CreateDirectory("www");
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Loads <paramref name="text"/> as <c>--config-file</c>, then reads the console settings from the temp dir as working directory.</summary>
    private (WwwSettings Settings, ConfigSet Config, string File) Read(string text, params string[] args)
    {
        string file = _dir.Write("x.txt", text);
        var config = ConfigTestLoader.Load(["--config-file", file, .. args]);
        return (WwwSettings.Read(config, _dir.Path, LocalAddressesForTests), config, file);
    }

    // The real interface list is tested separately; here 192.0.2.0/24 (TEST-NET-1, RFC 5737) is "not ours".
    private static bool LocalAddressesForTests(IPAddress address) => !address.ToString().StartsWith("192.0.2.", StringComparison.Ordinal);

    [Fact]
    public void Defaults_follow_MailerQ_and_ours()
    {
        var config = ConfigTestLoader.Load();

        var settings = WwwSettings.Read(config, _dir.Path, LocalAddressesForTests);

        Assert.Equal(8485, settings.Port);
        Assert.Null(settings.SecurePort);
        Assert.Null(settings.Ip);
        Assert.Equal("/usr/share/mailerq/current/www", settings.Dir);
        Assert.Equal(64, settings.Connections);
        Assert.Null(settings.CacheControl);
        Assert.Null(settings.Certificate);
        Assert.Null(settings.PrivateKey);
        Assert.Empty(settings.Auth);
        Assert.Null(settings.Password);
        Assert.True(settings.Enabled);
    }

    [Fact]
    public void Reads_a_full_console_config()
    {
        var (settings, config, file) = Read(
            """
            www-port: 8080
            www-ip: 127.0.0.1
            www-dir: www
            www-connections: 10
            www-cache-control: must-revalidate
            www-secure-port: 8443
            www-certificate: tls/cert.pem
            www-private-key: /etc/ssl/key.pem
            www-ciphers: !aNULL:!eNULL:!LOW:!SSLv2:!EXPORT:!EXPORT56:FIPS:MEDIUM:HIGH:@STRENGTH
            www-host: mta1.example
            www-url: https://mta1.example:8443
            render-useragent: Copernica-Render/1.0
            www-pam-service: mailerq
            www-auth: file:///etc/mailerq/users.txt
            www-auth: ldap://ldap.example:389/dc=example,dc=com
            www-password: legacy
            """);

        Assert.Empty(config.Diagnostics);
        Assert.Equal(8080, settings.Port);
        Assert.Equal(IPAddress.Loopback, settings.Ip);
        Assert.Equal(Path.Combine(_dir.Path, "www"), settings.Dir);
        Assert.Equal(10, settings.Connections);
        Assert.Equal("must-revalidate", settings.CacheControl);
        Assert.Equal(8443, settings.SecurePort);
        Assert.Equal(Path.Combine(_dir.Path, "tls/cert.pem"), settings.Certificate);
        Assert.Equal("/etc/ssl/key.pem", settings.PrivateKey);
        Assert.Equal("!aNULL:!eNULL:!LOW:!SSLv2:!EXPORT:!EXPORT56:FIPS:MEDIUM:HIGH:@STRENGTH", settings.Ciphers);
        Assert.Equal("mta1.example", settings.Host);
        Assert.Equal("https://mta1.example:8443", settings.Url);
        Assert.Equal("Copernica-Render/1.0", settings.RenderUserAgent);
        Assert.Equal("mailerq", settings.PamService);
        Assert.Equal(
            [
                new ConfigEntry("www-auth", "file:///etc/mailerq/users.txt", ConfigOrigin.File(file, 14)),
                new ConfigEntry("www-auth", "ldap://ldap.example:389/dc=example,dc=com", ConfigOrigin.File(file, 15)),
            ],
            settings.Auth);
        Assert.Equal("legacy", settings.Password);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("")]
    public void Zero_or_empty_port_turns_plain_http_off(string port)
    {
        var (settings, config, _) = Read($"www-port: {port}\nwww-secure-port: 443\nwww-dir: www\n");

        Assert.Empty(config.Diagnostics);
        Assert.Null(settings.Port);
        Assert.Equal(443, settings.SecurePort);
        Assert.True(settings.Enabled);
    }

    [Fact]
    public void Bad_port_is_reported_with_file_and_line()
    {
        var (_, config, file) = Read("www-dir: www\nwww-port: abc\n");

        Assert.Equal([$"{file}:2: www-port: \"abc\" is not a port number (0-65535)"], DiagnosticLines.Of(config.Diagnostics));
    }

    [Fact]
    public void Secure_port_equal_to_port_is_an_error()
    {
        var (_, config, file) = Read("www-dir: www\nwww-port: 8485\nwww-secure-port: 8485\n");

        Assert.Equal([$"{file}:3: www-secure-port: 8485 is also www-port ({file}:2)"], DiagnosticLines.Of(config.Diagnostics));
    }

    [Fact]
    public void Ip_that_is_not_on_this_host_is_an_error()
    {
        var (settings, config, file) = Read("www-dir: www\nwww-ip: 192.0.2.7\n");

        Assert.Equal([$"{file}:2: www-ip: 192.0.2.7 is not an address of this host"], DiagnosticLines.Of(config.Diagnostics));
        Assert.Equal(IPAddress.Parse("192.0.2.7"), settings.Ip);
    }

    [Fact]
    public void Ip_check_uses_the_real_interfaces_of_this_host()
    {
        // The public Read resolves against the process working directory, so the directory is given absolute.
        string file = _dir.Write("x.txt", $"www-dir: {_dir.Path}/www\nwww-ip: 192.0.2.7\n");
        var config = ConfigTestLoader.LoadFile(file);
        var loopback = ConfigTestLoader.Load(["--www-ip=127.0.0.1", "--www-port=0"]);

        WwwSettings.Read(config);
        var settings = WwwSettings.Read(loopback);

        Assert.Equal([$"{file}:2: www-ip: 192.0.2.7 is not an address of this host"], DiagnosticLines.Of(config.Diagnostics));
        Assert.Empty(loopback.Diagnostics);
        Assert.Equal(IPAddress.Loopback, settings.Ip);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    public void Wildcard_addresses_need_no_interface(string ip)
    {
        var (settings, config, _) = Read($"www-dir: www\nwww-ip: {ip}\n");

        Assert.Empty(config.Diagnostics);
        Assert.Equal(IPAddress.Parse(ip), settings.Ip);
    }

    [Fact]
    public void Empty_ip_means_every_address()
    {
        var (settings, config, _) = Read("www-dir: www\nwww-ip:\n");

        Assert.Empty(config.Diagnostics);
        Assert.Null(settings.Ip);
    }

    [Fact]
    public void Missing_www_dir_is_an_error_with_the_resolved_path()
    {
        var (_, config, file) = Read("www-dir: no-such-dir\n");

        string resolved = Path.Combine(_dir.Path, "no-such-dir");
        Assert.Equal([$"{file}:1: www-dir: directory \"{resolved}\" does not exist"], DiagnosticLines.Of(config.Diagnostics));
    }

    [Fact]
    public void Www_dir_that_is_a_file_is_an_error()
    {
        var (_, config, file) = Read("www-dir: x.txt\n");

        Assert.Equal([$"{file}:1: www-dir: \"{file}\" is a file, not a directory"], DiagnosticLines.Of(config.Diagnostics));
    }

    [Fact]
    public void Empty_www_dir_is_an_error()
    {
        var (_, config, file) = Read("www-dir:\n");

        Assert.Equal([$"{file}:1: www-dir: must not be empty"], DiagnosticLines.Of(config.Diagnostics));
    }

    [Fact]
    public void Missing_default_www_dir_is_reported_against_the_default()
    {
        // /usr/share/mailerq is MailerQ's package path; this test host has no MailerQ installed.
        Assert.False(Directory.Exists(WwwSettings.DefaultDir));
        var config = ConfigTestLoader.Load();

        WwwSettings.Read(config, _dir.Path, LocalAddressesForTests);

        Assert.Equal(["default: www-dir: directory \"/usr/share/mailerq/current/www\" does not exist"], DiagnosticLines.Of(config.Diagnostics));
    }

    [Fact]
    public void Www_dir_is_not_checked_when_the_console_is_off()
    {
        var (settings, config, _) = Read("www-port: 0\nwww-dir: no-such-dir\n");

        Assert.Empty(config.Diagnostics);
        Assert.False(settings.Enabled);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100001")]
    [InlineData("-5")]
    public void Connections_outside_1_to_100000_is_an_error(string value)
    {
        var (settings, config, file) = Read($"www-dir: www\nwww-connections: {value}\n");

        Assert.Equal([$"{file}:2: www-connections: \"{value}\" is not a whole number from 1 to 100000"], DiagnosticLines.Of(config.Diagnostics));
        Assert.Equal(64, settings.Connections);
    }

    [Fact]
    public void Cache_control_keeps_commas_and_spaces()
    {
        var (settings, config, _) = Read("www-dir: www\nwww-cache-control: public, max-age=60\n");

        Assert.Empty(config.Diagnostics);
        Assert.Equal("public, max-age=60", settings.CacheControl);
    }

    [Theory]
    [InlineData("no-cache\r\nSet-Cookie: a=b", "\"no-cache\\r\\nSet-Cookie: a=b\"")]
    [InlineData("no-cache\nX: y", "\"no-cache\\nX: y\"")]
    [InlineData("no-\u0000cache", "\"no-\\x00cache\"")]
    [InlineData("max-age=\u00e9", "\"max-age=\u00e9\"")]
    public void Cache_control_with_line_breaks_or_control_characters_is_rejected(string value, string quoted)
    {
        var config = ConfigTestLoader.Load(["--www-dir=www", $"--www-cache-control={value}"]);

        var settings = WwwSettings.Read(config, _dir.Path, LocalAddressesForTests);

        Assert.Null(settings.CacheControl);
        Assert.Equal(
            [$"--www-cache-control: www-cache-control: {quoted} contains a control or non-ASCII character; an HTTP header allows only visible ASCII, spaces and tabs (RFC 9110 section 5.5)"],
            DiagnosticLines.Of(config.Diagnostics));
    }

    [Fact]
    public void Cache_control_with_a_bare_carriage_return_in_a_file_is_rejected()
    {
        var (settings, config, file) = Read("www-dir: www\nwww-cache-control: a\rb\n");

        Assert.Null(settings.CacheControl);
        Assert.StartsWith($"{file}:2: www-cache-control: \"a\\rb\" contains a control", Assert.Single(DiagnosticLines.Of(config.Diagnostics)), StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_cache_control_sends_no_header()
    {
        var (settings, config, _) = Read("www-dir: www\nwww-cache-control:\n");

        Assert.Empty(config.Diagnostics);
        Assert.Null(settings.CacheControl);
    }

    [Fact]
    public void Empty_auth_in_a_higher_layer_clears_the_lower_list()
    {
        string file = _dir.Write("x.txt", "www-dir: www\nwww-auth: file:///a.txt\nwww-auth: file:///b.txt\n");
        var config = ConfigTestLoader.Load(["--config-file", file], new Dictionary<string, string> { ["MAILERQ_WWW_AUTH"] = "" });

        var settings = WwwSettings.Read(config, _dir.Path, LocalAddressesForTests);

        Assert.Empty(config.Diagnostics);
        Assert.Empty(settings.Auth);
    }

    [Fact]
    public void All_console_errors_are_collected()
    {
        var (_, config, file) = Read("www-port: abc\nwww-ip: 192.0.2.7\nwww-dir: missing\nwww-connections: 0\nwww-cache-control: a\u0001b\n");

        var lines = DiagnosticLines.Of(config.Diagnostics);
        Assert.Equal(5, config.Diagnostics.ErrorCount);
        for (int i = 0; i < lines.Length; i++)
            Assert.StartsWith($"{file}:{i + 1}: ", lines[i], StringComparison.Ordinal);
    }
}
