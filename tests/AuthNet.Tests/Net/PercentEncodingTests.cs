using MailerQ.Www.Auth.Net;

namespace MailerQ.Www.AuthNet.Tests.Net;

public sealed class PercentEncodingTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a%40b", "a@b")]
    [InlineData("%3a%2C%25", ":,%")]
    [InlineData("ou=My%20People", "ou=My People")]
    [InlineData("caf%C3%A9", "café")]
    [InlineData("já%20x", "já x")]
    public void Decodes_percent_escapes(string text, string expected)
    {
        Assert.True(PercentEncoding.TryDecode(text, out string decoded));
        Assert.Equal(expected, decoded);
    }

    [Theory]
    [InlineData("100%")]
    [InlineData("%4")]
    [InlineData("%zz")]
    [InlineData("%C3")] // a lone UTF-8 lead byte
    public void Refuses_bad_escapes_instead_of_guessing(string text) =>
        Assert.False(PercentEncoding.TryDecode(text, out _));
}
