using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailerQ.Www.Smtp.Dkim;
using Org.BouncyCastle.Crypto.Parameters;
using MailerQ.Www.Core.Dkim;

namespace MailerQ.Www.Delivery.Tests.Dkim;

public sealed class DkimKeyMaterialTests
{
    [Fact]
    public void A_generated_rsa_key_is_2048_bits_and_reads_back_from_its_pem()
    {
        var key = DkimKeyMaterial.GenerateRsa();

        Assert.Equal(2048, key.Bits);
        Assert.Equal("rsa-sha256", key.Algorithm);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", key.PrivateKeyPem);
        var again = DkimKeyMaterial.Parse(key.PrivateKeyPem);
        Assert.Equal(key.PublicKeyBase64, again.PublicKeyBase64);
    }

    [Fact]
    public void A_generated_ed25519_key_reads_back_from_its_pem()
    {
        var key = DkimKeyMaterial.GenerateEd25519();

        Assert.Equal("ed25519-sha256", key.Algorithm);
        Assert.Equal(32, Convert.FromBase64String(key.PublicKeyBase64).Length); // RFC 8463: the raw key, not SPKI
        var again = DkimKeyMaterial.Parse(key.PrivateKeyPem);
        Assert.Equal(key.PublicKeyBase64, again.PublicKeyBase64);
    }

    [Fact]
    public void An_ed25519_pem_from_openssl_is_read()
    {
        string pem = Run("openssl", "genpkey", "-algorithm", "ed25519");
        string publicDer = Convert.ToBase64String(Convert.FromBase64String(string.Concat(
            Run("openssl", "pkey", "-pubout", "-outform", "DER", stdin: pem, base64: true))));

        var key = DkimKeyMaterial.Parse(pem);

        Assert.Equal("ed25519", key.KeyType);
        // The SPKI DER ends with the 32 raw key bytes.
        Assert.Equal(Convert.FromBase64String(publicDer)[^32..], Convert.FromBase64String(key.PublicKeyBase64));
    }

    [Fact]
    public void Rsa_pkcs1_and_pkcs8_pem_are_both_read()
    {
        using var rsa = RSA.Create(2048);

        var pkcs1 = DkimKeyMaterial.Parse(rsa.ExportRSAPrivateKeyPem());
        var pkcs8 = DkimKeyMaterial.Parse(rsa.ExportPkcs8PrivateKeyPem());

        Assert.Equal(pkcs1.PublicKeyBase64, pkcs8.PublicKeyBase64);
        Assert.Equal(Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()), pkcs1.PublicKeyBase64);
    }

    [Theory]
    [InlineData("rsa")]
    [InlineData("ed25519")]
    public void The_txt_record_parses_back_to_the_same_public_key(string type)
    {
        var key = type == "rsa" ? DkimKeyMaterial.GenerateRsa() : DkimKeyMaterial.GenerateEd25519();

        Assert.Equal($"v=DKIM1; k={type}; p={key.PublicKeyBase64}", key.DnsRecordText);
        var parsed = TxtRecordKeyLocator.Parse(key.DnsRecordText);
        Assert.Equal(key.PublicKey, parsed);
        Assert.IsType(type == "rsa" ? typeof(RsaKeyParameters) : typeof(Ed25519PublicKeyParameters), parsed);
    }

    [Fact]
    public void The_record_strings_are_at_most_255_bytes_and_join_to_the_text()
    {
        var key = DkimKeyMaterial.GenerateRsa(4096);

        Assert.All(key.DnsRecordStrings, s => Assert.InRange(s.Length, 1, 255));
        Assert.True(key.DnsRecordStrings.Count > 1);
        Assert.Equal(key.DnsRecordText, string.Concat(key.DnsRecordStrings));
    }

    [Fact]
    public void The_record_name_is_selector_domainkey_domain()
    {
        Assert.Equal("s2025._domainkey.example.com", DkimKeyMaterial.DnsRecordName("s2025", "example.com."));
    }

    [Fact]
    public void An_encrypted_pkcs8_key_is_refused()
    {
        using var rsa = RSA.Create(2048);
        string pem = rsa.ExportEncryptedPkcs8PrivateKeyPem("secret", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));

        AssertRefused(pem, "encrypted");
    }

    [Fact]
    public void An_encrypted_traditional_rsa_key_is_refused()
    {
        string pem = Run("openssl", "genrsa", "-traditional", "-aes256", "-passout", "pass:secret", "1024");
        Assert.Contains("Proc-Type: 4,ENCRYPTED", pem);

        AssertRefused(pem, "encrypted");
    }

    [Fact]
    public void A_certificate_is_refused()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=dkim.test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));

        AssertRefused(cert.ExportCertificatePem(), "certificate");
    }

    [Fact]
    public void A_public_key_is_refused()
    {
        using var rsa = RSA.Create(2048);

        AssertRefused(rsa.ExportSubjectPublicKeyInfoPem(), "public key");
    }

    [Fact]
    public void An_rsa_key_under_1024_bits_is_refused()
    {
        using var rsa = RSA.Create(512);

        AssertRefused(rsa.ExportPkcs8PrivateKeyPem(), "512 bits");
    }

    [Fact]
    public void An_ec_key_is_refused()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        AssertRefused(ec.ExportPkcs8PrivateKeyPem(), "RSA or Ed25519");
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("hello", "not PEM")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "damaged")]
    public void Garbage_is_refused(string pem, string reason)
    {
        AssertRefused(pem, reason);
    }

    private static void AssertRefused(string pem, string reason)
    {
        Assert.False(DkimKeyMaterial.TryParse(pem, out var key, out string? error));
        Assert.Null(key);
        Assert.Contains(reason, error, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(reason, Assert.Throws<DkimKeyException>(() => DkimKeyMaterial.Parse(pem)).Message, StringComparison.OrdinalIgnoreCase);
    }

    private static string Run(string program, string arg0, string? arg1 = null, string? arg2 = null, string? arg3 = null, string? arg4 = null, string? arg5 = null, string? stdin = null, bool base64 = false)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string? a in new[] { arg0, arg1, arg2, arg3, arg4, arg5 })
        {
            if (a is not null)
                psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        if (stdin is not null)
            p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        string output;
        if (base64)
        {
            using var ms = new MemoryStream();
            p.StandardOutput.BaseStream.CopyTo(ms);
            output = Convert.ToBase64String(ms.ToArray());
        }
        else
        {
            output = p.StandardOutput.ReadToEnd();
        }
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, p.StandardError.ReadToEnd());
        return output;
    }
}
