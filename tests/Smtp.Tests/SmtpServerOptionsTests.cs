using System.Net;
using MailerQ.Www.Core.Config;
using MailerQ.Www.Smtp.Queue;

namespace MailerQ.Www.Smtp.Tests;

public sealed class SmtpServerOptionsTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("mailerq-opts-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static SmtpSettings Settings(params string[] args)
    {
        var diagnostics = new ConfigDiagnostics();
        var config = ConfigLoader.Load(CommandLine.Parse(args, diagnostics), new Dictionary<string, string>(), null, diagnostics);
        var settings = SmtpSettings.Read(config);
        Assert.DoesNotContain(config.Diagnostics, d => d.Severity == ConfigSeverity.Error);
        return settings;
    }

    [Fact]
    public async Task Builds_endpoints_and_TLS_from_smtp_settings_and_serves_them()
    {
        var (cert, key) = TestCertificate.Paths;
        int port = FreePort();
        var settings = Settings($"--smtp-port={port}", "--smtp-ip=127.0.0.1", $"--smtp-certificate={cert}", $"--smtp-key={key}",
            "--smtp-ciphers=ECDHE+AESGCM", "--smtp-maxsize=1M", "--smtp-connections-in=3", "--smtp-range=10.0.0.0/8");

        var options = SmtpServerOptions.FromSettings(settings, EmbeddedQueue.Open(_data), out var error);

        Assert.Null(error);
        Assert.NotNull(options);
        options!.HostName = "mx.test";
        var endpoint = Assert.Single(options.Endpoints);
        Assert.Equal(IPAddress.Loopback, endpoint.EndPoint.Address);
        Assert.False(endpoint.ImplicitTls);
        Assert.Equal(3, options.MaxConnections);
        Assert.Equal(1024 * 1024, options.MaxMessageSize);
        Assert.NotNull(options.Tls);
        await using var server = new SmtpServer(options);
        server.Start();
        await using var client = await SmtpTestClient.ConnectAsync(server.BoundEndPoints[0].Port);
        var ehlo = await client.HelloAsync();
        Assert.Contains("250-SIZE 1048576", ehlo);
        Assert.Contains("250-STARTTLS", ehlo);
        await client.CommandAsync("STARTTLS");
        await client.StartTlsAsync();
        Assert.StartsWith("250", await client.CommandAsync("EHLO client.test"));
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Fact]
    public void An_unusable_certificate_is_an_error()
    {
        string missing = Path.Combine(_data, "missing.pem");
        var settings = Settings("--smtp-port=0", $"--smtp-certificate={missing}", $"--smtp-key={missing}");
        Assert.Null(SmtpServerOptions.FromSettings(settings, EmbeddedQueue.Open(_data), out var error));
        Assert.NotNull(error);
    }
}
