using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MailerQ.Www.Core.Tls;
using MailerQ.Www.Smtp;

namespace MailerQ.Www.Delivery.Tests.Client;

/// <summary>
/// A private CA made by the openssl binary: a root, a leaf for <c>mx.test</c> signed by it, and an unrelated
/// self-signed <c>mx.test</c> certificate. The client trusts the root only through
/// <see cref="SmtpClientOptionsTrust"/>, as the brief's <c>CertificateValidation</c> hook intends.
/// </summary>
internal static class TestCa
{
    private static readonly Lazy<string> Dir = new(Create);

    public static string Path(string name) => System.IO.Path.Combine(Dir.Value, name);

    public static X509Certificate2 Root => X509CertificateLoader.LoadCertificateFromFile(Path("root.crt"));

    /// <summary>Server TLS options for the CA-signed leaf (<c>signed</c>) or the self-signed one (<c>self</c>).</summary>
    public static Func<SslServerAuthenticationOptions> ServerOptions(string which)
    {
        var loaded = PemCertificateLoader.Load(Path(which + ".crt"), Path(which + ".key"));
        Assert.True(loaded.Succeeded, loaded.Error);
        var options = SmtpServerOptions.WithoutAlpn(TlsServerOptionsFactory.Create(loaded.Context!, null));
        return () => options;
    }

    /// <summary>Chain to the test root and a matching name; what a verified delivery demands of a public CA.</summary>
    public static bool SmtpClientOptionsTrust(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is not X509Certificate2 leaf || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
            return false;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(Root);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return custom.Build(leaf);
    }

    private static string Create()
    {
        string dir = Directory.CreateTempSubdirectory("mq-client-ca-").FullName;
        File.WriteAllText(System.IO.Path.Combine(dir, "leaf.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:mx.test\n");
        OpenSsl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "root.key", "-out", "root.crt",
            "-subj", "/CN=MailerQ Client Test Root", "-days", "30", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        OpenSsl(dir, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "signed.key", "-out", "signed.csr", "-subj", "/CN=mx.test");
        OpenSsl(dir, "x509", "-req", "-in", "signed.csr", "-CA", "root.crt", "-CAkey", "root.key", "-set_serial", "2", "-days", "30",
            "-extfile", "leaf.ext", "-out", "signed.crt");
        OpenSsl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "self.key", "-out", "self.crt",
            "-subj", "/CN=mx.test", "-days", "30", "-addext", "subjectAltName=DNS:mx.test");
        return dir;
    }

    private static void OpenSsl(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("openssl", args) { WorkingDirectory = dir, RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(psi)!;
        string error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"openssl {string.Join(' ', args)}: {error}");
    }
}
