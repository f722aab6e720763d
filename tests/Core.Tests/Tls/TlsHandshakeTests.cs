using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailerQ.Www.Core.Tls;

namespace MailerQ.Www.Core.Tests.Tls;

/// <summary>
/// Real handshakes: SslStream with the options from <see cref="TlsServerOptionsFactory"/> against
/// <c>openssl s_client</c>, the reference client for what <c>www-ciphers</c> means.
/// </summary>
public sealed class TlsHandshakeTests(TestPki pki) : IClassFixture<TestPki>
{
    // ECDHE key exchange with AES-GCM only: a narrow set, so "outside" suites are easy to name.
    private const string ServerCiphers = "ECDHE+AESGCM";

    [Fact]
    public async Task Tls12_suite_inside_the_configured_set_handshakes()
    {
        await using var server = new LoopbackTlsServer(RsaOptions());

        OpenSslRun client = await ConnectAsync(server, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256");

        Assert.True(client.ExitCode == 0, client.ToString());
        Assert.Contains("Cipher is ECDHE-RSA-AES128-GCM-SHA256", client.StdOut, StringComparison.Ordinal);
        HandshakeOutcome outcome = await server.NextOutcomeAsync();
        Assert.True(outcome.Succeeded, outcome.Error?.ToString());
        Assert.Equal(SslProtocols.Tls12, outcome.Protocol);
        Assert.Equal(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, outcome.CipherSuite);
    }

    [Theory]
    [InlineData("ECDHE-RSA-CHACHA20-POLY1305")]
    [InlineData("ECDHE-RSA-AES128-SHA256")]
    [InlineData("AES128-GCM-SHA256")]
    [InlineData("DHE-RSA-AES128-GCM-SHA256")]
    public async Task Tls12_suite_outside_the_configured_set_fails(string clientCipher)
    {
        await using var server = new LoopbackTlsServer(RsaOptions());

        OpenSslRun client = await ConnectAsync(server, "-tls1_2", "-cipher", clientCipher);

        Assert.NotEqual(0, client.ExitCode);
        Assert.False((await server.NextOutcomeAsync()).Succeeded);
    }

    [Theory]
    [InlineData("rsa-chain.pem", "rsa.pkcs8.key", "Au=RSA")]
    [InlineData("ec-chain.pem", "ec.pkcs8.key", "Au=ECDSA")]
    public async Task Every_tls12_suite_of_the_MailerQ_example_for_the_key_type_handshakes_except_DHE(
        string certificate, string key, string authentication)
    {
        const string example = "!aNULL:!eNULL:!LOW:!SSLv2:!EXPORT:!EXPORT56:FIPS:MEDIUM:HIGH:@STRENGTH";
        PemLoadResult loaded = PemCertificateLoader.Load(pki.Path(certificate), pki.Path(key));
        Assert.True(loaded.Succeeded, loaded.Error);
        Assert.True(OpenSslCipherList.TryResolve(example, out var suites, out string? error), error);
        await using var server = new LoopbackTlsServer(TlsServerOptionsFactory.Create(loaded.Context, suites));
        // Lines read "IANA_NAME - OPENSSL-NAME TLSvX Kx=.. Au=.. Enc=.. Mac=..".
        string[][] rows = (await OpenSslCli.RunAsync("ciphers", "-s", "-stdname", "--", example)).StdOut
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f[3] != "TLSv1.3" && f.Contains(authentication))
            .ToArray();

        var unexpected = new List<string>();
        foreach (string[] row in rows)
        {
            // @SECLEVEL=0 on the client so only the server decides.
            OpenSslRun client = await ConnectAsync(server, "-tls1_2", "-cipher", row[2] + ":@SECLEVEL=0");
            HandshakeOutcome outcome = await server.NextOutcomeAsync();
            // .NET never gives OpenSSL DH parameters (no SSL_CTX_set_dh_auto), so a DHE suite cannot be chosen.
            bool dhe = row.Contains("Kx=DH");
            bool ok = client.ExitCode == 0 && outcome.Succeeded && outcome.CipherSuite.ToString() == row[0];
            if (ok == dhe)
                unexpected.Add($"{row[2]}: client exit {client.ExitCode}, server {outcome.CipherSuite} {outcome.Error?.Message}");
        }

        Assert.NotEmpty(rows);
        Assert.Empty(unexpected);
    }

    [Fact]
    public async Task Tls11_fails()
    {
        await using var server = new LoopbackTlsServer(RsaOptions());

        // @SECLEVEL=0 so that it is the server, not the client's own OpenSSL 3 policy, that says no.
        OpenSslRun client = await ConnectAsync(server, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0");

        Assert.NotEqual(0, client.ExitCode);
        Assert.Contains("alert protocol version", client.StdOut + client.StdErr, StringComparison.Ordinal);
        Assert.False((await server.NextOutcomeAsync()).Succeeded);
    }

    [Fact]
    public async Task Tls13_handshakes_with_a_default_suite()
    {
        await using var server = new LoopbackTlsServer(RsaOptions());

        OpenSslRun client = await ConnectAsync(server, "-tls1_3");

        Assert.True(client.ExitCode == 0, client.ToString());
        Assert.Contains("TLSv1.3", client.StdOut, StringComparison.Ordinal);
        HandshakeOutcome outcome = await server.NextOutcomeAsync();
        Assert.True(outcome.Succeeded, outcome.Error?.ToString());
        Assert.Equal(SslProtocols.Tls13, outcome.Protocol);
        Assert.Equal(TlsCipherSuite.TLS_AES_256_GCM_SHA384, outcome.CipherSuite);
    }

    [Fact]
    public async Task Tls13_suite_outside_the_set_fails()
    {
        // TLS_AES_128_CCM_SHA256 is not among OpenSSL's default TLS 1.3 suites, so `openssl ciphers -s` never lists it.
        await using var server = new LoopbackTlsServer(RsaOptions());

        OpenSslRun client = await ConnectAsync(server, "-tls1_3", "-ciphersuites", "TLS_AES_128_CCM_SHA256");

        Assert.NotEqual(0, client.ExitCode);
        Assert.False((await server.NextOutcomeAsync()).Succeeded);
    }

    [Fact]
    public async Task Showcerts_shows_leaf_and_intermediate_but_not_the_root()
    {
        await using var server = new LoopbackTlsServer(RsaOptions());

        OpenSslRun client = await ConnectAsync(server, "-tls1_2", "-showcerts");

        Assert.True(client.ExitCode == 0, client.ToString());
        string[] sent = PemCertificates(client.StdOut).Select(c => c.Thumbprint).ToArray();
        Assert.Equal([pki.Load("rsa.crt").Thumbprint, pki.Load("int.crt").Thumbprint], sent);
        Assert.Contains("Verify return code: 0 (ok)", (await ConnectAsync(server, "-tls1_3", "-CAfile", pki.Path("root.crt"), "-verify_return_error")).StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ec_certificate_from_sec1_key_handshakes_with_ecdsa_suite()
    {
        PemLoadResult loaded = PemCertificateLoader.Load(pki.Path("ec-chain.pem"), pki.Path("ec.sec1.key"));
        Assert.True(loaded.Succeeded, loaded.Error);
        await using var server = new LoopbackTlsServer(Options(loaded.Context));

        OpenSslRun client = await ConnectAsync(server, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-GCM-SHA384");

        Assert.True(client.ExitCode == 0, client.ToString());
        Assert.Equal(TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, (await server.NextOutcomeAsync()).CipherSuite);
    }

    [Fact]
    public async Task Alpn_negotiates_http11_and_refuses_h2_only_clients()
    {
        await using var server = new LoopbackTlsServer(RsaOptions());

        OpenSslRun http11 = await ConnectAsync(server, "-alpn", "h2,http/1.1");
        HandshakeOutcome outcome = await server.NextOutcomeAsync();
        OpenSslRun h2Only = await ConnectAsync(server, "-alpn", "h2");

        Assert.Contains("ALPN protocol: http/1.1", http11.StdOut, StringComparison.Ordinal);
        Assert.Equal(SslApplicationProtocol.Http11, outcome.ApplicationProtocol);
        // RFC 7301 section 3.2: no common protocol is a fatal no_application_protocol alert.
        Assert.NotEqual(0, h2Only.ExitCode);
        Assert.Contains("no application protocol", h2Only.StdOut + h2Only.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_is_not_resumable_while_a_cipher_policy_is_set()
    {
        // Pins a .NET limitation (see TlsServerOptionsFactory): with a CipherSuitesPolicy every connection gets a
        // fresh SSL_CTX with the session cache and tickets off. If this fails, .NET now resumes: update the remarks.
        await using var server = new LoopbackTlsServer(RsaOptions());
        string session = pki.Path($"session-{Guid.NewGuid():N}.pem");

        OpenSslRun client = await ConnectAsync(server, "-tls1_2", "-sess_out", session);

        Assert.True(client.ExitCode == 0, client.ToString());
        Assert.Matches(@"Session-ID: *\n", client.StdOut);
        Assert.False(File.Exists(session), "s_client saved a resumable session");
    }

    private SslServerAuthenticationOptions RsaOptions()
    {
        PemLoadResult loaded = PemCertificateLoader.Load(pki.Path("rsa-chain.pem"), pki.Path("rsa.pkcs8.key"));
        Assert.True(loaded.Succeeded, loaded.Error);
        return Options(loaded.Context);
    }

    private static SslServerAuthenticationOptions Options(SslStreamCertificateContext context)
    {
        Assert.True(OpenSslCipherList.TryResolve(ServerCiphers, out IReadOnlyList<TlsCipherSuite> suites, out string? error), error);
        return TlsServerOptionsFactory.Create(context, suites);
    }

    private static Task<OpenSslRun> ConnectAsync(LoopbackTlsServer server, params string[] args) =>
        OpenSslCli.RunAsync(
            ["s_client", "-connect", $"127.0.0.1:{server.Port}", "-servername", "localhost", .. args],
            stdin: "",
            workingDirectory: null,
            TestContext.Current.CancellationToken);

    private static List<X509Certificate2> PemCertificates(string text)
    {
        var certificates = new List<X509Certificate2>();
        int offset = 0;
        while (PemEncoding.TryFind(text.AsSpan(offset), out PemFields fields))
        {
            string block = text[offset..][fields.Location];
            certificates.Add(X509Certificate2.CreateFromPem(block));
            offset += fields.Location.End.Value;
        }

        return certificates;
    }
}
