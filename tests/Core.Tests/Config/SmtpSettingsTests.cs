using System.Net;
using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Core.Tests.Config;

public sealed class SmtpSettingsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private (SmtpSettings Settings, ConfigSet Config, string File) Read(string text)
    {
        string file = _dir.Write("x.txt", text);
        var config = ConfigTestLoader.Load(["--config-file", file]);
        return (SmtpSettings.Read(config, _dir.Path, static a => !a.ToString().StartsWith("192.0.2.", StringComparison.Ordinal)), config, file);
    }

    [Fact]
    public void Defaults_follow_MailerQ_and_never_make_an_open_relay()
    {
        var config = ConfigTestLoader.Load();

        var settings = SmtpSettings.Read(config, _dir.Path, static _ => true);

        Assert.Empty(config.Diagnostics);
        Assert.Equal([25], settings.Ports);
        Assert.Empty(settings.SecurePorts);
        Assert.Null(settings.Ip);
        Assert.Equal(TimeSpan.FromSeconds(300), settings.Timeout);
        Assert.Equal(100L * 1024 * 1024, settings.MaxSize);
        Assert.False(settings.RangeConfigured);
        Assert.Equal(2, settings.Range.Count);
        Assert.True(settings.Range[0].Contains(IPAddress.Parse("127.0.0.2")));
        Assert.True(settings.Range[1].Contains(IPAddress.IPv6Loopback));
        Assert.False(settings.Range[0].Contains(IPAddress.Parse("10.0.0.1")));
        Assert.Equal(SmtpSettings.DefaultConnections, settings.ConnectionsIn);
        Assert.Empty(settings.Auth);
        Assert.True(settings.Extract);
        Assert.True(settings.AdvertiseDsn);
        Assert.False(settings.TlsConfigured);
    }

    [Fact]
    public void Reads_port_lists_ranges_and_a_full_config()
    {
        var (settings, config, _) = Read(
            """
            smtp-port: 25,2525;1024-1026
            smtp-secure-port: 465
            smtp-ip: 127.0.0.1
            smtp-certificate: tls/cert.pem
            smtp-key: /etc/ssl/key.pem
            smtp-ciphers: HIGH:!aNULL
            smtp-maxsize: 10MB
            smtp-timeout: 2m
            smtp-range: 10.0.0.0/8; 192.168.1.7 ;2001:db8::/32
            smtp-connections: 50
            smtp-connections-in: 20
            smtp-auth: hardcoded://alice:pw
            smtp-auth: file:///etc/mailerq/users
            smtp-extract: false
            """);

        Assert.Empty(config.Diagnostics);
        Assert.Equal([25, 2525, 1024, 1025, 1026], settings.Ports);
        Assert.Equal([465], settings.SecurePorts);
        Assert.Equal(IPAddress.Loopback, settings.Ip);
        Assert.Equal(Path.Combine(_dir.Path, "tls/cert.pem"), settings.Certificate);
        Assert.Equal("/etc/ssl/key.pem", settings.Key);
        Assert.Equal("HIGH:!aNULL", settings.Ciphers);
        Assert.Equal(10L * 1024 * 1024, settings.MaxSize);
        Assert.Equal(TimeSpan.FromMinutes(2), settings.Timeout);
        Assert.True(settings.RangeConfigured);
        Assert.Equal(3, settings.Range.Count);
        Assert.True(settings.Range[1].Contains(IPAddress.Parse("192.168.1.7")));
        Assert.False(settings.Range[1].Contains(IPAddress.Parse("192.168.1.8")));
        Assert.Equal(20, settings.ConnectionsIn);
        Assert.Equal(["hardcoded://alice:pw", "file:///etc/mailerq/users"], settings.Auth.Select(a => a.Value));
        Assert.False(settings.Extract);
        Assert.True(settings.TlsConfigured);
    }

    [Fact]
    public void Smtp_connections_alone_caps_inbound()
    {
        var (settings, config, _) = Read("smtp-connections: 7\n");

        Assert.Empty(config.Diagnostics);
        Assert.Equal(7, settings.ConnectionsIn);
    }

    [Fact]
    public void Bad_values_are_reported_with_file_line_and_key()
    {
        var (_, config, file) = Read(
            """
            smtp-port: 25,abc,30-20
            smtp-secure-port: 25
            smtp-ip: 192.0.2.1
            smtp-maxsize: 10 parsecs
            smtp-timeout: 0
            smtp-range: 10.0.0.1/8,nonsense
            smtp-connections-in: 0
            smtp-auth: hardcoded://a:b
            """);

        Assert.Equal(
            [
                $"{file}:1: smtp-port: \"abc\" is not a port number (1-65535)",
                $"{file}:1: smtp-port: \"30-20\" is not a port range (FIRST-LAST, 1-65535)",
                $"{file}:2: smtp-secure-port: port 25 is also in smtp-port ({file}:1)",
                $"{file}:3: smtp-ip: 192.0.2.1 is not an address of this host",
                $"{file}:2: smtp-secure-port: implicit TLS needs smtp-certificate and smtp-key",
                $"{file}:8: smtp-auth: AUTH is offered only over TLS, so it needs smtp-certificate and smtp-key",
                $"{file}:4: smtp-maxsize: \"10 parsecs\" is not a size (a whole number of bytes, or with K, KB, M, MB, G or GB)",
                $"{file}:5: smtp-timeout: must be at least 1 second",
                $"{file}:6: smtp-range: \"10.0.0.1/8\" is not an address or CIDR network (10.0.0.0/8, 2001:db8::/32)",
                $"{file}:6: smtp-range: \"nonsense\" is not an address or CIDR network (10.0.0.0/8, 2001:db8::/32)",
                $"{file}:7: smtp-connections-in: \"0\" is not a whole number from 1 to 1000000",
            ],
            DiagnosticLines.Of(config.Diagnostics));
    }

    [Fact]
    public void A_certificate_without_a_key_is_an_error()
    {
        var (settings, config, file) = Read("smtp-certificate: c.pem\n");

        Assert.Equal([$"{file}:1: smtp-certificate: needs smtp-key as well"], DiagnosticLines.Of(config.Diagnostics));
        Assert.False(settings.TlsConfigured);
    }
}
