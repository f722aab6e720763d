using System.Text;
using MailerQ.Www.Auth.Crypt;
using MailerQ.Www.Auth.Native;

namespace MailerQ.Www.Auth.Tests.Crypt;

/// <summary>The managed MD5 crypt against Apache's and libxcrypt's.</summary>
public sealed class Md5CryptTests
{
    [Theory]
    [InlineData("pw")]
    [InlineData("a much longer password than sixteen bytes, to loop the alt context")]
    [InlineData("ünïcödé")]
    [InlineData("x")]
    public void Apr1_matches_htpasswd(string password)
    {
        string hash = HashTools.Htpasswd("m", "u", password);
        Assert.Equal(hash, Md5Crypt.Hash(Encoding.UTF8.GetBytes(password), hash));
    }

    [Theory]
    [InlineData("pw", "$1$abc$")]
    [InlineData("password", "$1$saltsalt$")]
    [InlineData("0123456789abcdef0123", "$1$12345678$")]
    public void Md5_matches_libxcrypt(string password, string setting)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(password);
        Assert.Equal(LibCrypt.Crypt(bytes, setting), Md5Crypt.Hash(bytes, setting));
    }

    [Fact]
    public void Known_vector_from_openssl()
    {
        // openssl passwd -apr1 -salt bI76NrdC pw
        Assert.Equal("$apr1$bI76NrdC$9r86srkhkes7sGiO/PKbl/", Md5Crypt.Hash("pw"u8, "$apr1$bI76NrdC$"));
    }
}
