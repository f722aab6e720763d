namespace MailerQ.Www.Auth.Tests;

public sealed class LogTextTests
{
    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("", "\"\"")]
    [InlineData("a b", "\"a b\"")]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("a\\b", "\"a\\\\b\"")]
    [InlineData("a=b", "\"a=b\"")]
    [InlineData("a\r\nb", "\"a\\r\\nb\"")]
    [InlineData("a\u0007\u007f\u0085b", "\"a\\x07\\x7f\\x85b\"")]
    [InlineData("a\u2028b", "\"a\\x2028b\"")]
    [InlineData("jürgen", "jürgen")]
    public void Fields_are_one_line_and_unambiguous(string text, string field) =>
        Assert.Equal(field, LogText.Field(text));
}
