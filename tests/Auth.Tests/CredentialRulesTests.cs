namespace MailerQ.Www.Auth.Tests;

public sealed class CredentialRulesTests
{
    [Theory]
    [InlineData("alice", "secret")]
    [InlineData("jürgen", "pässwörd with spaces\t")]
    [InlineData("$(touch /tmp/x)", "p")]
    public void Accepts_ordinary_credentials(string user, string password) =>
        Assert.True(CredentialRules.AreAcceptable(user, password));

    [Theory]
    [InlineData("", "pw")]
    [InlineData("alice", "")]
    [InlineData(null, "pw")]
    [InlineData("alice", null)]
    [InlineData("al\nice", "pw")]
    [InlineData("al\u0000ice", "pw")]
    [InlineData("al\u001bice", "pw")]
    [InlineData("alice", "pw\u0000junk")]
    [InlineData("alice", "pw\nextra")]
    [InlineData("alice", "pw\r")]
    public void Refuses_what_no_backend_may_see(string? user, string? password) =>
        Assert.False(CredentialRules.AreAcceptable(user, password));

    [Fact]
    public void Refuses_lone_surrogates_which_have_no_utf8_form()
    {
        // Built in code: theory data would round-trip through UTF-8 and arrive as U+FFFD.
        Assert.False(CredentialRules.AreAcceptable(new string('\ud800', 1), "pw"));
        Assert.False(CredentialRules.AreAcceptable("alice", "a" + new string('\udc00', 1)));
        Assert.False(CredentialRules.AreAcceptable("alice", "a" + new string('\ud800', 1) + "b"));
        Assert.True(CredentialRules.AreAcceptable("alice", "😀"));
    }

    [Fact]
    public void Bounds_lengths()
    {
        Assert.True(CredentialRules.IsAcceptableUserName(new string('a', AuthLimits.MaxUserNameLength)));
        Assert.False(CredentialRules.IsAcceptableUserName(new string('a', AuthLimits.MaxUserNameLength + 1)));
        Assert.True(CredentialRules.IsAcceptablePassword(new string('p', AuthLimits.MaxPasswordBytes)));
        Assert.False(CredentialRules.IsAcceptablePassword(new string('p', AuthLimits.MaxPasswordBytes + 1)));
        // Bytes, not characters: 300 two-byte characters are 600 bytes.
        Assert.False(CredentialRules.IsAcceptablePassword(new string('ä', 300)));
    }
}
