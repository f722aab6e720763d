using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MailerQ.Www.Core.Tests.Tls;

/// <summary>
/// Keys and certificates made by the real <c>openssl</c> binary in a temp directory: a root CA, an EC
/// intermediate and RSA/EC leaves in every key format the loader accepts, plus the bad cases. Expired and
/// not-yet-valid certificates come from .NET, because OpenSSL 3.0 cannot set past dates without <c>openssl ca</c>.
/// </summary>
public sealed class TestPki : IAsyncLifetime
{
    private const string CaExtensions =
        "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n";
    private const string RsaLeafExtensions =
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n";
    private const string EcLeafExtensions =
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n";

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("mq-tls-").FullName;

    public async ValueTask InitializeAsync()
    {
        File.WriteAllText(Path("ca.ext"), CaExtensions);
        File.WriteAllText(Path("rsa-leaf.ext"), RsaLeafExtensions);
        File.WriteAllText(Path("ec-leaf.ext"), EcLeafExtensions);

        // Root (RSA, self-signed) → intermediate (EC P-256) → leaves.
        await OpenSslAsync("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "root.key", "-out", "root.crt",
            "-subj", "/CN=MailerQ Test Root", "-days", "30", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        await OpenSslAsync("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "int.key");
        await OpenSslAsync("req", "-new", "-key", "int.key", "-out", "int.csr", "-subj", "/CN=MailerQ Test Intermediate");
        await OpenSslAsync("x509", "-req", "-in", "int.csr", "-CA", "root.crt", "-CAkey", "root.key", "-set_serial", "2",
            "-days", "30", "-extfile", "ca.ext", "-out", "int.crt");

        await OpenSslAsync("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.pkcs8.key");
        await OpenSslAsync("rsa", "-in", "rsa.pkcs8.key", "-traditional", "-out", "rsa.pkcs1.key");
        await SignLeafAsync("rsa.pkcs8.key", "rsa.crt", "rsa-leaf.ext", serial: "3");

        await OpenSslAsync("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "ec.pkcs8.key");
        await OpenSslAsync("ec", "-in", "ec.pkcs8.key", "-out", "ec.sec1.key");
        await SignLeafAsync("ec.pkcs8.key", "ec.crt", "ec-leaf.ext", serial: "4");

        // "openssl ecparam -genkey" writes an EC PARAMETERS block before the SEC1 key.
        await OpenSslAsync("ecparam", "-name", "prime256v1", "-genkey", "-out", "ecparam.key");
        await OpenSslAsync("req", "-x509", "-key", "ecparam.key", "-out", "ecparam.crt", "-subj", "/CN=localhost", "-days", "30");

        await OpenSslAsync("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other-rsa.key", "-out", "other-rsa.crt",
            "-subj", "/CN=Unrelated", "-days", "30", "-addext", "basicConstraints=critical,CA:FALSE");
        await OpenSslAsync("genpkey", "-algorithm", "ED25519", "-out", "ed25519.key");
        await OpenSslAsync("req", "-x509", "-key", "ed25519.key", "-out", "ed25519.crt", "-subj", "/CN=localhost", "-days", "30");

        await OpenSslAsync("pkey", "-in", "rsa.pkcs8.key", "-aes256", "-passout", "pass:x", "-out", "rsa.encrypted-pkcs8.key");
        await OpenSslAsync("rsa", "-in", "rsa.pkcs8.key", "-traditional", "-aes256", "-passout", "pass:x", "-out", "rsa.encrypted-legacy.key");

        Concatenate("rsa-chain.pem", "rsa.crt", "int.crt", "root.crt");
        Concatenate("rsa-chain-no-root.pem", "rsa.crt", "int.crt");
        Concatenate("ec-chain.pem", "ec.crt", "int.crt");
        Concatenate("rsa-chain-reversed.pem", "int.crt", "rsa.crt");
        Concatenate("rsa-chain-unrelated.pem", "rsa.crt", "int.crt", "ec.crt");
        Concatenate("rsa-combined.pem", "rsa.crt", "int.crt", "rsa.pkcs8.key");
        Concatenate("two-keys.key", "rsa.pkcs8.key", "other-rsa.key");

        WriteDotNetCertificate("expired", DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));
        WriteDotNetCertificate("future", DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow.AddDays(30));
    }

    public string Path(string name) => System.IO.Path.Combine(Directory, name);

    public X509Certificate2 Load(string name) => X509CertificateLoader.LoadCertificateFromFile(Path(name));

    public ValueTask DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private async Task SignLeafAsync(string key, string certificate, string extensions, string serial)
    {
        string csr = certificate + ".csr";
        await OpenSslAsync("req", "-new", "-key", key, "-out", csr, "-subj", "/CN=localhost");
        await OpenSslAsync("x509", "-req", "-in", csr, "-CA", "int.crt", "-CAkey", "int.key", "-set_serial", serial,
            "-days", "30", "-extfile", extensions, "-out", certificate);
    }

    private void Concatenate(string target, params string[] sources)
    {
        using var output = File.Create(Path(target));
        foreach (string source in sources)
        {
            using var input = File.OpenRead(Path(source));
            input.CopyTo(output);
        }
    }

    private void WriteDotNetCertificate(string name, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using X509Certificate2 certificate = request.CreateSelfSigned(notBefore, notAfter);
        File.WriteAllText(Path(name + ".crt"), certificate.ExportCertificatePem());
        File.WriteAllText(Path(name + ".key"), key.ExportPkcs8PrivateKeyPem());
    }

    private async Task OpenSslAsync(params string[] args)
    {
        OpenSslRun run = await OpenSslCli.RunAsync(args, stdin: null, workingDirectory: Directory, CancellationToken.None);
        if (run.ExitCode != 0)
            throw new InvalidOperationException($"openssl {string.Join(' ', args)} failed: {run}");
    }
}
