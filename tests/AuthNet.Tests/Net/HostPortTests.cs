using MailerQ.Www.Auth.Net;

namespace MailerQ.Www.AuthNet.Tests.Net;

public sealed class HostPortTests
{
    [Theory]
    [InlineData("ldap.example.org", "ldap.example.org", 389)]
    [InlineData("ldap.example.org:1389", "ldap.example.org", 1389)]
    [InlineData("127.0.0.1:65535", "127.0.0.1", 65535)]
    [InlineData("[::1]", "::1", 389)]
    [InlineData("[2001:db8::5]:636", "2001:db8::5", 636)]
    public void Parses_names_addresses_and_ports(string text, string host, int port)
    {
        Assert.True(HostPort.TryParse(text, 389, out var value, out string? error), error);
        Assert.Equal(new HostPort(host, port), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData(":389")]
    [InlineData("host:")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:+1")]
    [InlineData("host:12ab")]
    [InlineData("[::1")]
    [InlineData("[::1]x")]
    [InlineData("[not-v6]:1")]
    [InlineData("ho st")]
    [InlineData("host/path")]
    public void Refuses_bad_authorities(string text) =>
        Assert.False(HostPort.TryParse(text, 389, out _, out _));

    [Fact]
    public void Formats_ipv6_with_brackets() =>
        Assert.Equal("[::1]:1812", new HostPort("::1", 1812).ToString());
}
