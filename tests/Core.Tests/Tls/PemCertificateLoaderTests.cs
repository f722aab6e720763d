using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailerQ.Www.Core.Tls;

namespace MailerQ.Www.Core.Tests.Tls;

public sealed class PemCertificateLoaderTests(TestPki pki) : IClassFixture<TestPki>
{
    [Theory]
    [InlineData("rsa-chain-no-root.pem", "rsa.pkcs8.key")]
    [InlineData("rsa-chain-no-root.pem", "rsa.pkcs1.key")]
    [InlineData("ec-chain.pem", "ec.pkcs8.key")]
    [InlineData("ec-chain.pem", "ec.sec1.key")]
    public void Loads_leaf_with_key_and_chain_in_every_key_format(string certificate, string key)
    {
        PemLoadResult result = Load(certificate, key);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(PemLoadFailure.None, result.Failure);
        Assert.True(result.Leaf.HasPrivateKey);
        Assert.Equal("CN=localhost", result.Leaf.Subject);
        Assert.Equal([pki.Load("int.crt").Thumbprint], result.Chain.Select(c => c.Thumbprint));
        Assert.Equal([pki.Load("int.crt").Thumbprint], result.Context.IntermediateCertificates.Select(c => c.Thumbprint));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Self_signed_root_in_the_file_is_kept_out_of_what_is_sent_without_a_warning()
    {
        PemLoadResult result = Load("rsa-chain.pem", "rsa.pkcs8.key");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(2, result.Chain.Count);
        Assert.Equal([pki.Load("int.crt").Thumbprint], result.Context.IntermediateCertificates.Select(c => c.Thumbprint));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Loads_ecparam_output_with_its_parameters_block()
    {
        PemLoadResult result = Load("ecparam.crt", "ecparam.key");

        Assert.True(result.Succeeded, result.Error);
        Assert.Empty(result.Chain);
    }

    [Fact]
    public void Loads_certificate_and_key_from_one_combined_file()
    {
        PemLoadResult result = Load("rsa-combined.pem", "rsa-combined.pem");

        Assert.True(result.Succeeded, result.Error);
        Assert.Single(result.Chain);
    }

    [Fact]
    public void Key_signs_what_the_certificate_verifies()
    {
        PemLoadResult result = Load("rsa-chain.pem", "rsa.pkcs1.key");
        Assert.True(result.Succeeded, result.Error);

        using RSA privateKey = result.Leaf.GetRSAPrivateKey()!;
        byte[] data = "mailerq"u8.ToArray();
        byte[] signature = privateKey.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using RSA publicKey = pki.Load("rsa.crt").GetRSAPublicKey()!;
        Assert.True(publicKey.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Theory]
    [InlineData("rsa.encrypted-pkcs8.key")]
    [InlineData("rsa.encrypted-legacy.key")]
    public void Refuses_encrypted_key(string key)
    {
        PemLoadResult result = Load("rsa-chain.pem", key);

        AssertFailure(result, PemLoadFailure.EncryptedPrivateKey, "encrypted");
    }

    [Fact]
    public void Missing_certificate_file_fails()
    {
        AssertFailure(Load("no-such.crt", "rsa.pkcs8.key"), PemLoadFailure.FileMissing, "no-such.crt does not exist");
        AssertFailure(PemCertificateLoader.Load(pki.Path("nodir/x.crt"), pki.Path("rsa.pkcs8.key")), PemLoadFailure.FileMissing, "does not exist");
        AssertFailure(PemCertificateLoader.Load("", pki.Path("rsa.pkcs8.key")), PemLoadFailure.FileMissing, "no certificate file");
    }

    [Fact]
    public void Missing_key_file_fails()
    {
        AssertFailure(Load("rsa.crt", "no-such.key"), PemLoadFailure.FileMissing, "private key file");
    }

    [Fact]
    public void Directory_instead_of_file_fails()
    {
        AssertFailure(PemCertificateLoader.Load(pki.Directory, pki.Path("rsa.pkcs8.key")), PemLoadFailure.FileUnreadable, "is a directory");
    }

    [Fact]
    public void File_whose_read_fails_is_unreadable()
    {
        // Reading /proc/self/mem at offset 0 fails with EIO (page 0 is never mapped): an I/O error even for root.
        AssertFailure(PemCertificateLoader.Load(pki.Path("rsa.crt"), "/proc/self/mem"), PemLoadFailure.FileUnreadable, "cannot read private key file");
    }

    [Theory]
    [InlineData("rsa.pkcs8.key")]
    [InlineData("empty.pem")]
    [InlineData("garbage.bin")]
    public void File_without_certificate_fails(string certificate)
    {
        File.WriteAllText(pki.Path("empty.pem"), "");
        File.WriteAllBytes(pki.Path("garbage.bin"), RandomNumberGenerator.GetBytes(4096));

        AssertFailure(Load(certificate, "rsa.pkcs8.key"), PemLoadFailure.NoCertificate, "no PEM certificate");
    }

    [Fact]
    public void Certificate_block_with_garbage_inside_fails()
    {
        string path = pki.Path("bad-der.crt");
        File.WriteAllText(path, PemEncoding.WriteString("CERTIFICATE", RandomNumberGenerator.GetBytes(300)));

        AssertFailure(Load("bad-der.crt", "rsa.pkcs8.key"), PemLoadFailure.InvalidCertificate, "certificate #1");
    }

    [Fact]
    public void Key_file_without_key_fails()
    {
        AssertFailure(Load("rsa.crt", "rsa.crt"), PemLoadFailure.NoPrivateKey, "no PEM private key");
    }

    [Fact]
    public void Key_block_with_garbage_inside_fails()
    {
        File.WriteAllText(pki.Path("bad-pkcs8.key"), PemEncoding.WriteString("PRIVATE KEY", RandomNumberGenerator.GetBytes(300)));
        File.WriteAllText(pki.Path("bad-pkcs1.key"), PemEncoding.WriteString("RSA PRIVATE KEY", RandomNumberGenerator.GetBytes(300)));

        AssertFailure(Load("rsa.crt", "bad-pkcs8.key"), PemLoadFailure.InvalidPrivateKey, "malformed");
        AssertFailure(Load("rsa.crt", "bad-pkcs1.key"), PemLoadFailure.InvalidPrivateKey, "cannot read the private key");
    }

    [Fact]
    public void Two_keys_in_key_file_fail()
    {
        AssertFailure(Load("rsa.crt", "two-keys.key"), PemLoadFailure.MultiplePrivateKeys, "more than one private key");
    }

    [Theory]
    [InlineData("rsa.crt", "other-rsa.key")]
    [InlineData("ec.crt", "ecparam.key")]
    public void Key_of_another_certificate_fails(string certificate, string key)
    {
        AssertFailure(Load(certificate, key), PemLoadFailure.KeyMismatch, "does not belong to the first certificate");
    }

    [Fact]
    public void Key_of_another_algorithm_fails()
    {
        AssertFailure(Load("rsa.crt", "ec.sec1.key"), PemLoadFailure.KeyMismatch, "is EC but the certificate");
        AssertFailure(Load("ec.crt", "rsa.pkcs8.key"), PemLoadFailure.KeyMismatch, "is RSA but the certificate");
        AssertFailure(Load("rsa.crt", "ed25519.key"), PemLoadFailure.UnsupportedKeyAlgorithm, "Ed25519");
    }

    [Fact]
    public void Chain_before_leaf_fails_with_a_hint()
    {
        AssertFailure(Load("rsa-chain-reversed.pem", "rsa.pkcs8.key"), PemLoadFailure.KeyMismatch, "leaf certificate must come first");
    }

    [Fact]
    public void Ed25519_certificate_is_unsupported()
    {
        AssertFailure(Load("ed25519.crt", "ed25519.key"), PemLoadFailure.UnsupportedKeyAlgorithm, "Ed25519");
    }

    [Fact]
    public void Expired_certificate_loads_with_a_warning()
    {
        PemLoadResult result = Load("expired.crt", "expired.key");

        Assert.True(result.Succeeded, result.Error);
        Assert.Contains("expired on", Assert.Single(result.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Not_yet_valid_certificate_loads_with_a_warning()
    {
        PemLoadResult result = Load("future.crt", "future.key");

        Assert.True(result.Succeeded, result.Error);
        Assert.Contains("is not valid before", Assert.Single(result.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Warns_for_every_certificate_the_clock_has_passed()
    {
        var later = new FixedTimeProvider(DateTimeOffset.UtcNow.AddDays(60));

        PemLoadResult result = PemCertificateLoader.Load(pki.Path("rsa-chain-no-root.pem"), pki.Path("rsa.pkcs8.key"), later);

        Assert.True(result.Succeeded, result.Error);
        Assert.Collection(result.Warnings,
            w => Assert.StartsWith("the certificate in", w, StringComparison.Ordinal),
            w => Assert.StartsWith("chain certificate #2 in", w, StringComparison.Ordinal));
    }

    [Fact]
    public void Unrelated_chain_certificate_loads_with_a_warning()
    {
        // ec.crt is issued by the same intermediate but is no issuer of the RSA leaf: a mixed-up bundle.
        PemLoadResult result = Load("rsa-chain-unrelated.pem", "rsa.pkcs8.key");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(2, result.Chain.Count);
        Assert.Contains("chain certificate #3", Assert.Single(result.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Oversized_file_fails_without_reading_it_all()
    {
        string path = pki.Path("huge.pem");
        using (var file = File.Create(path))
            file.SetLength(PemCertificateLoader.MaxFileBytes + 1);

        AssertFailure(Load("huge.pem", "rsa.pkcs8.key"), PemLoadFailure.FileTooLarge, "larger than");
    }

    private PemLoadResult Load(string certificate, string key) =>
        PemCertificateLoader.Load(pki.Path(certificate), pki.Path(key));

    private static void AssertFailure(PemLoadResult result, PemLoadFailure failure, string messagePart)
    {
        Assert.False(result.Succeeded);
        Assert.Equal(failure, result.Failure);
        Assert.Contains(messagePart, result.Error, StringComparison.Ordinal);
        Assert.Null(result.Context);
        Assert.Null(result.Leaf);
    }
}
