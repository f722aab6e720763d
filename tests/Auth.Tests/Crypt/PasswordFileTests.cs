using MailerQ.Www.Auth.Crypt;
using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Auth.Tests.Crypt;

public sealed class PasswordFileTests
{
    private const string Sha512 = "$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/";
    private const string Apr1 = "$apr1$bI76NrdC$9r86srkhkes7sGiO/PKbl/";

    [Fact]
    public void Reads_user_hash_lines_and_skips_comments_and_blanks()
    {
        var file = PasswordFile.Parse($"# operators\n\nalice:{Sha512}\r\n  # indented comment\nbob:{Sha512}:19000:0:99999:7:::\n");
        Assert.Equal(2, file.Count);
        Assert.Empty(file.Findings);
        Assert.True(file.TryGet("alice", out var alice));
        Assert.Equal((CryptFormat.Sha512, 3), (alice.Format, alice.Line));
        Assert.True(file.TryGet("bob", out var bob));
        Assert.Equal(Sha512, bob.Hash);
        Assert.False(file.TryGet("Alice", out _));
    }

    [Fact]
    public void Bad_lines_are_reported_at_their_line_and_good_ones_kept()
    {
        var file = PasswordFile.Parse($"alice:{Sha512}\nbob:plaintext\nno-colon-here\n:{Sha512}\nalice:{Sha512}\ncarol:{Apr1}\n");
        Assert.Equal(2, file.Count);
        Assert.True(file.HasErrors);
        Assert.Equal(
            [(2, ConfigSeverity.Error), (3, ConfigSeverity.Error), (4, ConfigSeverity.Error), (5, ConfigSeverity.Error), (6, ConfigSeverity.Warning)],
            file.Findings.Select(f => (f.Line, f.Severity)).ToArray());
        Assert.Contains("unknown hash format", file.Findings[0].Message);
        Assert.Contains("already defined at line 1", file.Findings[3].Message);
        Assert.Contains("MD5 crypt is weak", file.Findings[4].Message);
    }

    [Fact]
    public void Dummy_for_unknown_users_is_a_real_hash_of_the_file()
    {
        var file = PasswordFile.Parse($"locked:!{Sha512}\nalice:{Sha512}\n");
        Assert.Equal(Sha512, file.Dummy!.Hash);
        Assert.Null(PasswordFile.Parse("# nobody\n").Dummy);
    }
}
