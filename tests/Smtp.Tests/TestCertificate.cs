using System.Diagnostics;
using System.Net.Security;
using MailerQ.Www.Core.Tls;

namespace MailerQ.Www.Smtp.Tests;

/// <summary>A self-signed certificate made by the openssl binary, loaded the way the server loads smtp-certificate.</summary>
internal static class TestCertificate
{
    private static readonly Lazy<(string Cert, string Key)> Files = new(Create);

    public static (string Cert, string Key) Paths => Files.Value;

    public static Func<SslServerAuthenticationOptions> ServerOptions()
    {
        var (cert, key) = Paths;
        var loaded = PemCertificateLoader.Load(cert, key);
        Assert.True(loaded.Succeeded, loaded.Error);
        var options = SmtpServerOptions.WithoutAlpn(TlsServerOptionsFactory.Create(loaded.Context!, null));
        return () => options;
    }

    private static (string, string) Create()
    {
        string dir = Directory.CreateTempSubdirectory("mailerq-smtp-tls-").FullName;
        string cert = Path.Combine(dir, "cert.pem");
        string key = Path.Combine(dir, "key.pem");
        var psi = new ProcessStartInfo("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=mx.test", "-addext", "subjectAltName=DNS:mx.test"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(psi)!;
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return (cert, key);
    }
}
