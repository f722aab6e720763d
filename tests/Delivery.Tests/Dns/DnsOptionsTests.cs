using System.Net;
using MailerQ.Www.Core.Config;
using MailerQ.Www.Smtp.Dns;

namespace MailerQ.Www.Delivery.Tests.Dns;

public sealed class DnsOptionsTests
{
    private static ConfigSet Config(params string[] args)
    {
        var diagnostics = new ConfigDiagnostics();
        return ConfigLoader.Load(CommandLine.Parse(args, diagnostics), new Dictionary<string, string>(), null, diagnostics);
    }

    [Fact]
    public void Defaults_are_the_system_resolvers_and_mailerqs_min_ttl()
    {
        var config = Config();
        var options = DnsOptions.FromConfig(config);

        Assert.Empty(options.Servers);
        Assert.Equal(TimeSpan.FromSeconds(60), options.MinTtl);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Timeout);
        Assert.Equal(2, options.Attempts);
        Assert.Empty(config.Diagnostics);
    }

    [Fact]
    public void Reads_servers_timeout_attempts_and_min_ttl()
    {
        var config = Config("--dns-servers=127.0.0.1:5353, 192.0.2.53;[2001:db8::53]:54,::1", "--dns-timeout=1500ms", "--dns-attempts=3", "--dns-min-ttl=300");
        var options = DnsOptions.FromConfig(config);

        Assert.Equal(
            [new IPEndPoint(IPAddress.Loopback, 5353), new IPEndPoint(IPAddress.Parse("192.0.2.53"), 53), new IPEndPoint(IPAddress.Parse("2001:db8::53"), 54), new IPEndPoint(IPAddress.IPv6Loopback, 53)],
            options.Servers);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.Timeout);
        Assert.Equal(3, options.Attempts);
        Assert.Equal(TimeSpan.FromSeconds(300), options.MinTtl);
        Assert.Empty(config.Diagnostics);
    }

    [Theory]
    [InlineData("--dns-servers=ns.example.com", "dns-servers")]
    [InlineData("--dns-servers=127.1", "dns-servers")]
    [InlineData("--dns-servers=127.0.0.1:0", "dns-servers")]
    [InlineData("--dns-attempts=0", "dns-attempts")]
    [InlineData("--dns-timeout=0", "dns-timeout")]
    [InlineData("--dns-min-ttl=soon", "dns-min-ttl")]
    public void Bad_values_are_reported_against_their_key(string arg, string key)
    {
        var config = Config(arg);
        DnsOptions.FromConfig(config);

        Assert.Contains(config.Diagnostics, d => d.Key == key);
    }
}
