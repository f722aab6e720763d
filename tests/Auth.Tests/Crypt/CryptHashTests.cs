using MailerQ.Www.Auth.Crypt;

namespace MailerQ.Www.Auth.Tests.Crypt;

public sealed class CryptHashTests
{
    [Theory]
    [InlineData("$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/", "Sha512")]
    [InlineData("$6$rounds=10000$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/", "Sha512")]
    [InlineData("$5$abc$/LKlXd6vuvdFX3oWbf2vGk3DgflzzsvOtMZsiOxqqY5", "Sha256")]
    [InlineData("$2y$05$OQXpxh0gxYjl1AMxw.3vTea.Bp0zJIO2RA5cROiLXM2Msuyjulg1O", "Bcrypt")]
    [InlineData("$2b$12$OQXpxh0gxYjl1AMxw.3vTea.Bp0zJIO2RA5cROiLXM2Msuyjulg1O", "Bcrypt")]
    [InlineData("$y$j9T$7Cr8SroOg1Ug52CBesEwp.$QmmoVKX4cqHczSkL9s0j6gfymubhqNbO8Axxs7O5FBD", "Yescrypt")]
    [InlineData("$1$abc$Kb85XxsXB.VXinPhbS4431", "Md5")]
    [InlineData("$apr1$bI76NrdC$9r86srkhkes7sGiO/PKbl/", "Apr1")]
    [InlineData("!$6$saltsalt$x", "Disabled")]
    [InlineData("*", "Disabled")]
    public void Recognises_supported_formats(string hash, string format)
    {
        Assert.True(CryptHash.TryClassify(hash, out var f, out var problem), problem);
        Assert.Equal(Enum.Parse<CryptFormat>(format), f);
    }

    [Theory]
    [InlineData("", "empty hash")]
    [InlineData("secret", "unknown hash format")]
    [InlineData("{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", "unknown hash format")]
    [InlineData("$3$$8846f7eaee8fb117ad06bdd830b7586c", "unknown hash format")]
    [InlineData("$6$saltsalt$tooshort", "86 characters")]
    [InlineData("$6$rounds=999$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/", "rounds=")]
    [InlineData("$6$salt_salt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/", "salt")]
    [InlineData("$2y$3$OQXpxh0gxYjl1AMxw.3vTea.Bp0zJIO2RA5cROiLXM2Msuyjulg1O", "bcrypt")]
    [InlineData("$2y$03$OQXpxh0gxYjl1AMxw.3vTea.Bp0zJIO2RA5cROiLXM2Msuyjulg1O", "cost")]
    [InlineData("$y$j9T$QmmoVKX4cqHczSkL9s0j6gfymubhqNbO8Axxs7O5FBD", "yescrypt")]
    [InlineData("$apr1$toolongsalt$9r86srkhkes7sGiO/PKbl/", "MD5")]
    public void Refuses_other_shapes_with_a_reason(string hash, string reason)
    {
        Assert.False(CryptHash.TryClassify(hash, out _, out var problem));
        Assert.Contains(reason, problem);
    }
}
