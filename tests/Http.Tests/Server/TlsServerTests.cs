using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using MailerQ.Www.Core.Tests.Tls;
using MailerQ.Www.Core.Tls;

namespace MailerQ.Www.Http.Tests.Server;

/// <summary>HTTPS on the real server: handshakes with the real openssl client, failure paths, reload.</summary>
public sealed class TlsServerTests(TestPki pki) : IClassFixture<TestPki>
{
    private TlsCertificateSource Source(string cert = "rsa-chain-no-root.pem", string key = "rsa.pkcs8.key", string? ciphers = null)
    {
        IReadOnlyList<TlsCipherSuite>? suites = null;
        if (ciphers is not null) Assert.True(OpenSslCipherList.TryResolve(ciphers, out suites, out var error), error);
        var source = TlsCertificateSource.TryCreate(pki.Path(cert), pki.Path(key), suites, out var result);
        Assert.True(source is not null, result.Error);
        return source;
    }

    private static TestServer StartTls(TlsCertificateSource source, Action<HttpServerOptions>? more = null) =>
        TestServer.Start(o =>
        {
            o.Endpoints.Clear();
            o.Endpoints.Add(new HttpEndpoint(new IPEndPoint(IPAddress.Loopback, 0)) { TlsOptions = () => source.Current });
            more?.Invoke(o);
        });

    private static async Task<(SslStream Stream, TcpClient Client)> ConnectTlsAsync(IPEndPoint endPoint, SslProtocols protocols = SslProtocols.None)
    {
        var client = new TcpClient();
        await client.ConnectAsync(endPoint);
        var ssl = new SslStream(client.GetStream(), false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = protocols,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        });
        return (ssl, client);
    }

    private static async Task<string> GetAsync(SslStream ssl, string path)
    {
        await ssl.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n"));
        var buffer = new byte[4096];
        var text = new StringBuilder();
        while (true)
        {
            int n = await ssl.ReadAsync(buffer);
            if (n == 0) break;
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
            var s = text.ToString();
            int end = s.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0) continue;
            var lengthLine = s.Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            int length = int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            if (s.Length >= end + 4 + length) return s;
        }
        return text.ToString();
    }

    private static Task<OpenSslRun> SClientAsync(IPEndPoint ep, params string[] extra) =>
        OpenSslCli.RunAsync(["s_client", "-connect", $"127.0.0.1:{ep.Port}", "-servername", "localhost", .. extra], stdin: "", workingDirectory: null, CancellationToken.None);

    [Fact]
    public async Task Https_request_is_served_with_alpn_http11_and_the_connection_knows_it_is_tls()
    {
        using var source = Source();
        await using var server = StartTls(source);
        var (ssl, client) = await ConnectTlsAsync(server.EndPoint);
        using (client)
        await using (ssl)
        {
            Assert.Equal(SslApplicationProtocol.Http11, ssl.NegotiatedApplicationProtocol);
            var response = await GetAsync(ssl, "/tls");
            Assert.StartsWith("HTTP/1.1 200 OK", response);
            Assert.EndsWith("\r\n\r\ntls", response);
            // Keep-alive over TLS.
            Assert.EndsWith("hello", await GetAsync(ssl, "/hello"));
        }
    }

    [Fact]
    public async Task Tls_1_3_works_and_tls_1_0_and_1_1_are_refused()
    {
        using var source = Source();
        await using var server = StartTls(source);
        var tls13 = await SClientAsync(server.EndPoint, "-tls1_3");
        Assert.True(tls13.ExitCode == 0, tls13.ToString());
        Assert.Contains("TLSv1.3", tls13.StdOut);
        foreach (var old in new[] { "-tls1", "-tls1_1" })
        {
            var run = await SClientAsync(server.EndPoint, old, "-cipher", "ALL:@SECLEVEL=0");
            Assert.True(run.ExitCode != 0, run.ToString());
        }
        await server.WaitForConnectionCountAsync(0);
    }

    [Fact]
    public async Task Suite_inside_www_ciphers_handshakes_and_one_outside_is_refused()
    {
        using var source = Source(ciphers: "ECDHE+AESGCM:!AES256");
        await using var server = StartTls(source);
        var inside = await SClientAsync(server.EndPoint, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256");
        Assert.True(inside.ExitCode == 0, inside.ToString());
        Assert.Contains("ECDHE-RSA-AES128-GCM-SHA256", inside.StdOut);
        var outside = await SClientAsync(server.EndPoint, "-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384");
        Assert.True(outside.ExitCode != 0, outside.ToString());
        var kRsa = await SClientAsync(server.EndPoint, "-tls1_2", "-cipher", "AES128-GCM-SHA256");
        Assert.True(kRsa.ExitCode != 0, kRsa.ToString());
    }

    [Fact]
    public async Task Served_chain_is_the_configured_one()
    {
        using var source = Source();
        await using var server = StartTls(source);
        var run = await SClientAsync(server.EndPoint, "-showcerts");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, CountOccurrences(run.StdOut, "-----BEGIN CERTIFICATE-----"));
        Assert.Contains("MailerQ Test Intermediate", run.StdOut);
    }

    [Fact]
    public async Task Garbage_plain_http_and_a_stalled_handshake_are_closed_and_release_their_slots()
    {
        using var source = Source();
        await using var server = StartTls(source, o => o.HandshakeTimeout = TimeSpan.FromSeconds(1));
        using (var garbage = await server.ConnectAsync())
        {
            await garbage.SendAsync(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5 });
            Assert.True(await garbage.IsClosedByServerAsync());
        }
        using (var plain = await server.ConnectAsync())
        {
            await plain.SendAsync(TestServer.Get("/hello"));
            Assert.True(await plain.IsClosedByServerAsync());
        }
        using (var stalled = await server.ConnectAsync())
        {
            // The first bytes of a ClientHello, then nothing: the handshake budget ends it.
            await stalled.SendAsync(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00 });
            Assert.True(await stalled.IsClosedByServerAsync(5000));
        }
        using (var silent = await server.ConnectAsync())
        {
            Assert.True(await silent.IsClosedByServerAsync(5000));
        }
        await server.WaitForConnectionCountAsync(0);
    }

    [Fact]
    public async Task Reload_serves_the_new_certificate_to_new_connections_and_keeps_open_ones_working()
    {
        var dir = Directory.CreateTempSubdirectory("mq-reload-").FullName;
        try
        {
            string cert = Path.Combine(dir, "cert.pem"), key = Path.Combine(dir, "key.pem");
            File.Copy(pki.Path("rsa-chain-no-root.pem"), cert);
            File.Copy(pki.Path("rsa.pkcs8.key"), key);
            using var source = TlsCertificateSource.TryCreate(cert, key, null, out var first)!;
            await using var server = StartTls(source);

            var (ssl, client) = await ConnectTlsAsync(server.EndPoint);
            using (client)
            await using (ssl)
            {
                Assert.Contains("CN=localhost", ssl.RemoteCertificate!.Subject, StringComparison.Ordinal);
                File.Copy(pki.Path("other-rsa.crt"), cert, overwrite: true);
                File.Copy(pki.Path("other-rsa.key"), key, overwrite: true);
                Assert.True(source.Reload());

                var (fresh, freshClient) = await ConnectTlsAsync(server.EndPoint);
                using (freshClient)
                await using (fresh)
                    Assert.Contains("CN=Unrelated", fresh.RemoteCertificate!.Subject, StringComparison.Ordinal);

                // The connection opened before the reload still works.
                Assert.EndsWith("hello", await GetAsync(ssl, "/hello"));

                // A broken pair (new certificate, old key) is refused and the working one kept.
                File.Copy(pki.Path("ec.crt"), cert, overwrite: true);
                Assert.False(source.Reload());
                var (after, afterClient) = await ConnectTlsAsync(server.EndPoint);
                using (afterClient)
                await using (after)
                    Assert.Contains("CN=Unrelated", after.RemoteCertificate!.Subject, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Endpoint_headers_such_as_hsts_go_out_with_every_response()
    {
        using var source = Source();
        await using var server = TestServer.Start(o =>
        {
            o.Endpoints.Clear();
            o.Endpoints.Add(new HttpEndpoint(new IPEndPoint(IPAddress.Loopback, 0))
            {
                TlsOptions = () => source.Current,
                ResponseHeaders = "Strict-Transport-Security: max-age=31536000\r\n"u8.ToArray(),
            });
        });
        var (ssl, client) = await ConnectTlsAsync(server.EndPoint);
        using (client)
        await using (ssl)
        {
            Assert.Contains("\r\nStrict-Transport-Security: max-age=31536000\r\n", await GetAsync(ssl, "/hello"));
            Assert.Contains("\r\nStrict-Transport-Security: max-age=31536000\r\n", await GetAsync(ssl, "/nope"));
        }
    }

    private static int CountOccurrences(string text, string what)
    {
        int count = 0, at = 0;
        while ((at = text.IndexOf(what, at, StringComparison.Ordinal)) >= 0) { count++; at += what.Length; }
        return count;
    }
}
