using MailerQ.Www.Console.Api;

namespace MailerQ.Www.Host.Tests.ConsoleApi;

/// <summary>www-url's default (issue 11 point 3): HTTPS when on, default ports left out.</summary>
public sealed class ConsoleIdentityTests
{
    [Theory]
    [InlineData(8485, null, "http://mq.example:8485")]
    [InlineData(80, null, "http://mq.example")]
    [InlineData(8485, 8486, "https://mq.example:8486")]
    [InlineData(null, 443, "https://mq.example")]
    [InlineData(8485, 443, "https://mq.example")]
    public void Default_url_follows_the_ports(int? port, int? securePort, string expected) =>
        Assert.Equal(expected, ConsoleIdentity.DefaultUrl("mq.example", port, securePort));

    [Fact]
    public void An_ipv6_host_is_bracketed() =>
        Assert.Equal("http://[2001:db8::1]:8485", ConsoleIdentity.DefaultUrl("2001:db8::1", 8485, null));

    [Fact]
    public void Machine_name_is_never_empty() =>
        Assert.False(string.IsNullOrEmpty(ConsoleIdentity.MachineFqdn()));
}
