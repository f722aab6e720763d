namespace MailerQ.Www.Auth.Tests;

public sealed class PercentDecodingTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a%3Ab%2Cc", "a:b,c")]
    [InlineData("%25", "%")]
    [InlineData("j%C3%BCrgen", "jürgen")]
    [InlineData("jürgen%20x", "jürgen x")]
    [InlineData("😀%2C", "😀,")]
    public void Decodes_escapes_as_utf8(string text, string expected)
    {
        Assert.True(PercentDecoding.TryDecode(text, out var decoded, out var problem), problem);
        Assert.Equal(expected, decoded);
    }

    [Theory]
    [InlineData("%")]
    [InlineData("ab%4")]
    [InlineData("%zz")]
    [InlineData("%C3")]
    [InlineData("%FF%FE")]
    public void Refuses_malformed_escapes(string text) =>
        Assert.False(PercentDecoding.TryDecode(text, out _, out _));
}
