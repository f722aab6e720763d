using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailerQ.Www.Auth.HttpEndpoint;
using MailerQ.Www.Auth.Tests.Support;
using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Auth.Tests.HttpEndpoint;

public sealed class HttpAuthBackendTests
{
    [Theory]
    [InlineData("/200", "Accepted")]
    [InlineData("/204", "Accepted")]
    [InlineData("/302", "Rejected")]
    [InlineData("/401", "Rejected")]
    [InlineData("/500", "Rejected")]
    [InlineData("/404", "Rejected")]
    public async Task Two_hundreds_accept_everything_else_rejects(string path, string outcome)
    {
        await using var endpoint = new TestEndpoint();
        using var backend = new HttpAuthBackend(endpoint.Url(path));
        var result = await backend.AuthenticateAsync("alice", "s3cret", default);
        Assert.Equal(Enum.Parse<AuthOutcome>(outcome), result.Outcome);
        Assert.Equal("http", result.Scheme);
    }

    [Fact]
    public async Task Sends_a_GET_with_basic_credentials_in_utf8()
    {
        await using var endpoint = new TestEndpoint();
        using var backend = new HttpAuthBackend(endpoint.Url("/200?realm=console"));
        await backend.AuthenticateAsync("jürgen", "pä:ss", default);
        string head = Assert.Single(endpoint.Requests);
        Assert.StartsWith("GET /200?realm=console HTTP/1.1\r\n", head);
        Assert.Contains("\r\nAuthorization: Basic " + Convert.ToBase64String("jürgen:pä:ss"u8.ToArray()) + "\r\n", head);
    }

    [Fact]
    public async Task Checks_the_exact_credentials()
    {
        await using var endpoint = new TestEndpoint();
        using var backend = new HttpAuthBackend(endpoint.Url("/check"));
        Assert.True((await backend.AuthenticateAsync("alice", "s3cret", default)).Accepted);
        Assert.False((await backend.AuthenticateAsync("alice", "s3cret2", default)).Accepted);
    }

    [Fact]
    public async Task Redirects_are_not_followed()
    {
        await using var endpoint = new TestEndpoint();
        using var backend = new HttpAuthBackend(endpoint.Url("/302"));
        var result = await backend.AuthenticateAsync("alice", "s3cret", default);
        Assert.Equal((AuthOutcome.Rejected, "status 302"), (result.Outcome, result.Detail));
        Assert.Single(endpoint.Requests);
    }

    [Fact]
    public async Task User_name_with_a_colon_is_rejected_without_a_request()
    {
        await using var endpoint = new TestEndpoint();
        using var backend = new HttpAuthBackend(endpoint.Url("/200"));
        Assert.Equal(AuthOutcome.Rejected, (await backend.AuthenticateAsync("ali:ce", "pw", default)).Outcome);
        Assert.Empty(endpoint.Requests);
    }

    [Fact]
    public async Task A_hanging_endpoint_is_an_error_after_five_seconds()
    {
        await using var endpoint = new TestEndpoint();
        using var backend = new HttpAuthBackend(endpoint.Url("/hang"));
        var sw = Stopwatch.StartNew();
        var result = await backend.AuthenticateAsync("alice", "s3cret", default);
        Assert.Equal((AuthOutcome.Error, "timeout"), (result.Outcome, result.Detail));
        Assert.InRange(sw.Elapsed.TotalSeconds, 4.5, 8);
    }

    [Fact]
    public async Task Connection_refused_is_an_error()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        using var backend = new HttpAuthBackend(new Uri($"http://127.0.0.1:{port}/auth"));
        Assert.Equal(AuthOutcome.Error, (await backend.AuthenticateAsync("alice", "s3cret", default)).Outcome);
    }

    [Fact]
    public async Task Https_refuses_an_untrusted_certificate_and_accepts_a_trusted_one()
    {
        using var certificate = SelfSigned();
        await using var endpoint = new TestEndpoint(certificate);

        using var untrusted = new HttpAuthBackend(endpoint.Url("/200"));
        var refused = await untrusted.AuthenticateAsync("alice", "s3cret", default);
        Assert.Equal(AuthOutcome.Error, refused.Outcome);
        Assert.Empty(endpoint.Requests);

        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(certificate.RawData));
        using var trusted = new HttpAuthBackend(endpoint.Url("/200"), chainPolicy: policy);
        var accepted = await trusted.AuthenticateAsync("alice", "s3cret", default);
        Assert.True(accepted.Accepted, accepted.Detail);
        Assert.Equal("https", accepted.Scheme);
    }

    [Theory]
    [InlineData("http://user:pw@auth.example/check", "credentials in the URL")]
    [InlineData("http:///nohost", "expected http://host")]
    [InlineData("https://auth.example/check#x", "fragment")]
    public void Bad_urls_are_config_errors(string value, string reason)
    {
        var diagnostics = new ConfigDiagnostics();
        Assert.Null(HttpAuthBackend.Create(Entries.Auth(value), diagnostics));
        var error = Assert.Single(diagnostics);
        Assert.Contains(reason, error.Message);
        Assert.DoesNotContain("pw@", error.ToString());
    }

    [Fact]
    public void Plain_http_to_another_host_draws_a_warning()
    {
        var diagnostics = new ConfigDiagnostics();
        using var remote = HttpAuthBackend.Create(Entries.Auth("http://auth.example:8080/check"), diagnostics);
        Assert.NotNull(remote);
        Assert.Contains("use https://", Assert.Single(diagnostics).Message);

        var quiet = new ConfigDiagnostics();
        using var local = HttpAuthBackend.Create(Entries.Auth("http://127.0.0.1:8080/check"), quiet);
        using var secure = HttpAuthBackend.Create(Entries.Auth("https://auth.example/check"), quiet);
        Assert.Empty(quiet);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }
}
