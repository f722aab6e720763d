using MailerQ.Www.Auth.Crypt;
using MailerQ.Www.Auth.Tests.Support;

namespace MailerQ.Www.Auth.Tests.Crypt;

public sealed class PasswordHasherTests
{
    [Fact]
    public void Makes_a_sha512_crypt_line_with_a_16_character_salt()
    {
        string hash = PasswordHasher.HashSha512Crypt("s3cret pässword");
        Assert.Matches(@"^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$", hash);
        Assert.True(CryptVerifier.Verify("s3cret pässword", hash, CryptFormat.Sha512));
    }

    [Fact]
    public void Openssl_computes_the_same_hash_from_the_same_salt()
    {
        string hash = PasswordHasher.HashSha512Crypt("pw");
        string salt = hash.Split('$')[2];
        Assert.Equal(hash, Cli.RunWithInput("pw\n", "openssl", "passwd", "-6", "-salt", salt, "-stdin").Trim());
    }

    [Fact]
    public void Salts_differ_every_time()
    {
        var hashes = Enumerable.Range(0, 20).Select(_ => PasswordHasher.HashSha512Crypt("pw")).ToHashSet();
        Assert.Equal(20, hashes.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\nb")]
    [InlineData("a\u0000b")]
    public void Refuses_passwords_no_login_could_use(string password) =>
        Assert.Throws<ArgumentException>(() => PasswordHasher.HashSha512Crypt(password));
}
