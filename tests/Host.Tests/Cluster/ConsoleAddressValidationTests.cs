using MailerQ.Www.Core.Config;
using MailerQ.Www.Console.Api;

namespace MailerQ.Www.Host.Tests.Cluster;

/// <summary>www-host and www-url (issue 11 point 3): validated when set, derived when not.</summary>
public sealed class ConsoleAddressValidationTests
{
    private static (WwwSettings Www, ConfigDiagnostics Diagnostics) Read(params string[] args)
    {
        var diagnostics = new ConfigDiagnostics();
        var config = ConfigLoader.Load(CommandLine.Parse(["--www-dir=/", .. args], diagnostics), new Dictionary<string, string>(), null, diagnostics);
        return (WwwSettings.Read(config, "/", _ => true), diagnostics);
    }

    [Theory]
    [InlineData("mta1.example.com")]
    [InlineData("localhost")]
    [InlineData("192.0.2.7")]
    [InlineData("[2001:db8::1]")]
    public void Host_names_and_ip_literals_are_accepted(string host)
    {
        var (www, diagnostics) = Read($"--www-host={host}");
        Assert.False(diagnostics.HasErrors, string.Join("\n", diagnostics));
        Assert.Equal(host, www.Host);
    }

    [Theory]
    [InlineData("https://mta1.example.com")]
    [InlineData("mta1.example.com:8485")]
    [InlineData("mta1.example.com/console")]
    [InlineData("bad host")]
    [InlineData("under_score..example")]
    public void Anything_but_a_host_is_refused_as_www_host(string host)
    {
        var (_, diagnostics) = Read($"--www-host={host}");
        Assert.Contains(diagnostics, d => d.ToString().Contains("www-host", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://mta1.example.com:8485", "https://mta1.example.com:8485")]
    [InlineData("http://192.0.2.7/", "http://192.0.2.7")]
    [InlineData("https://proxy.example/mailerq/", "https://proxy.example/mailerq")]
    public void Console_urls_are_accepted_without_a_trailing_slash(string url, string expected)
    {
        var (www, diagnostics) = Read($"--www-url={url}");
        Assert.False(diagnostics.HasErrors, string.Join("\n", diagnostics));
        Assert.Equal(expected, www.Url);
    }

    [Theory]
    [InlineData("mta1.example.com")]
    [InlineData("ftp://mta1.example.com")]
    [InlineData("https://user:pw@mta1.example.com")]
    [InlineData("https://mta1.example.com/?x=1")]
    [InlineData("https://mta1.example.com/#top")]
    public void Anything_but_an_http_or_https_url_is_refused_as_www_url(string url)
    {
        var (_, diagnostics) = Read($"--www-url={url}");
        Assert.Contains(diagnostics, d => d.ToString().Contains("www-url", StringComparison.Ordinal));
    }

    [Fact]
    public void Unset_they_default_to_the_machine_name_and_the_console_port()
    {
        var (www, _) = Read("--www-port=8485", "--www-secure-port=8443");
        var identity = ConsoleIdentity.From(www, () => "mta9.example.net");
        Assert.Equal("mta9.example.net", identity.Host);
        Assert.Equal("https://mta9.example.net:8443", identity.Url);
        (www, _) = Read("--www-port=80");
        Assert.Equal("http://mta9.example.net", ConsoleIdentity.From(www, () => "mta9.example.net").Url);
    }
}
