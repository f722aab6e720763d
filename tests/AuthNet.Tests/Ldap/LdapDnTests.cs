using MailerQ.Www.Auth.Ldap;

namespace MailerQ.Www.AuthNet.Tests.Ldap;

public sealed class LdapDnTests
{
    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("a,b", @"a\,b")]
    [InlineData("a+b", @"a\+b")]
    [InlineData("a\"b", "a\\\"b")]
    [InlineData(@"a\b", @"a\\b")]
    [InlineData("a<b>c", @"a\<b\>c")]
    [InlineData("a;b", @"a\;b")]
    [InlineData("a=b", @"a\=b")]
    [InlineData(" lead", @"\ lead")]
    [InlineData("trail ", @"trail\ ")]
    [InlineData("in side", "in side")]
    [InlineData("#hash", @"\#hash")]
    [InlineData("mid#dle", "mid#dle")]
    [InlineData("a\0b", @"a\00b")]
    [InlineData("*", "*")]
    [InlineData(")(", ")(")]
    [InlineData("admin,dc=example,dc=org", @"admin\,dc\=example\,dc\=org")]
    [InlineData("ünï", "ünï")]
    [InlineData(" ", @"\ ")]
    public void Escapes_every_rfc4514_special(string value, string expected) =>
        Assert.Equal(expected, LdapDn.EscapeValue(value));
}
