using MailerQ.Www.Auth.Crypt;

namespace MailerQ.Www.Auth.Tests.Crypt;

/// <summary>Every supported format, made by the tool an operator would use, verified and refused.</summary>
public sealed class CryptVerifierTests
{
    private const string Password = "correct horse ✓";

    public static TheoryData<string, string> ToolHashes => new()
    {
        { HashTools.Mkpasswd("sha-512", Password), "Sha512" },
        { HashTools.Mkpasswd("sha-512", Password, "-R", "12345"), "Sha512" },
        { HashTools.Mkpasswd("yescrypt", Password), "Yescrypt" },
        { HashTools.Mkpasswd("sha-256", Password, "-R", "5001"), "Sha256" },
        { HashTools.Mkpasswd("bcrypt", Password, "-R", "5"), "Bcrypt" },
        { HashTools.OpenSsl("-6", Password), "Sha512" },
        { HashTools.OpenSsl("-5", Password), "Sha256" },
        { HashTools.OpenSsl("-1", Password), "Md5" },
        { HashTools.OpenSsl("-apr1", Password), "Apr1" },
        { HashTools.Htpasswd("B", "u", Password), "Bcrypt" },
        { HashTools.Htpasswd("m", "u", Password), "Apr1" },
    };

    [Theory]
    [MemberData(nameof(ToolHashes))]
    public void Verifies_hashes_made_by_real_tools(string hash, string formatName)
    {
        var format = Enum.Parse<CryptFormat>(formatName);
        Assert.True(CryptHash.TryClassify(hash, out var classified, out var problem), problem);
        Assert.Equal(format, classified);
        Assert.True(CryptVerifier.Verify(Password, hash, format));
        Assert.False(CryptVerifier.Verify(Password + " ", hash, format));
        Assert.False(CryptVerifier.Verify("correct horse", hash, format));
    }

    [Fact]
    public void Rounds_are_part_of_the_hash()
    {
        string hash = HashTools.Mkpasswd("sha-512", Password, "-R", "12345");
        Assert.StartsWith("$6$rounds=12345$", hash);
        Assert.True(CryptVerifier.Verify(Password, hash, CryptFormat.Sha512));
    }

    [Fact]
    public void Htpasswd_bcrypt_is_the_2y_variant()
    {
        string hash = HashTools.Htpasswd("B", "u", "pw");
        Assert.StartsWith("$2y$", hash);
        Assert.True(CryptVerifier.Verify("pw", hash, CryptFormat.Bcrypt));
        // $2a$ and $2b$ compute the same for ASCII passwords; libxcrypt takes all three spellings.
        Assert.True(CryptVerifier.Verify("pw", "$2b$" + hash[4..], CryptFormat.Bcrypt));
        Assert.True(CryptVerifier.Verify("pw", "$2a$" + hash[4..], CryptFormat.Bcrypt));
    }

    [Fact]
    public void Disabled_hash_never_matches()
    {
        string hash = "!" + HashTools.OpenSsl("-6", "pw");
        Assert.False(CryptVerifier.Verify("pw", hash, CryptFormat.Disabled));
    }

    [Fact]
    public void Refused_setting_is_no_match_not_an_exception()
    {
        Assert.False(CryptVerifier.Verify("pw", "$6$rounds=1$x$y", CryptFormat.Sha512));
        Assert.Null(CryptVerifier.Compute("pw", "$9$nonsense", CryptFormat.Sha512));
    }
}
