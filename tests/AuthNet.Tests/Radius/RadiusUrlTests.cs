using System.Text;
using MailerQ.Www.Auth.Net;
using MailerQ.Www.Auth.Radius;

namespace MailerQ.Www.AuthNet.Tests.Radius;

public sealed class RadiusUrlTests
{
    [Fact]
    public void Parses_mailerqs_form_with_the_default_port()
    {
        Assert.True(RadiusUrl.TryParse("radius://mailerq:s3cret@radius.example.org", out var url, out string? error), error);
        Assert.Equal("mailerq", url!.Identifier);
        Assert.Equal("s3cret"u8.ToArray(), url.Secret);
        Assert.Equal([new HostPort("radius.example.org", 1812)], url.Hosts);
    }

    [Fact]
    public void Parses_a_failover_list_in_order()
    {
        Assert.True(RadiusUrl.TryParse("RADIUS://id:sec@10.0.0.1:1812,10.0.0.2,[::1]:11812/", out var url, out string? error), error);
        Assert.Equal([new HostPort("10.0.0.1", 1812), new HostPort("10.0.0.2", 1812), new HostPort("::1", 11812)], url!.Hosts);
    }

    [Theory]
    [InlineData("radius://id:p%40ss%3Aw%2Cord@host", "id", "p@ss:w,ord")]
    [InlineData("radius://id:p@ss:w,ord@host", "id", "p@ss:w,ord")]       // raw: user info ends at the last '@'
    [InlineData("radius://id:a:b@host", "id", "a:b")]                      // the first ':' ends the identifier
    [InlineData("radius://:secret@host", "", "secret")]                    // no NAS-Identifier, NAS-IP-Address only
    [InlineData("radius://na%20s:s%25@host", "na s", "s%")]
    public void Decodes_identifier_and_secret(string text, string identifier, string secret)
    {
        Assert.True(RadiusUrl.TryParse(text, out var url, out string? error), error);
        Assert.Equal(identifier, url!.Identifier);
        Assert.Equal(Encoding.UTF8.GetBytes(secret), url.Secret);
    }

    [Theory]
    [InlineData("radiuss://id:s@host", "expected radius://")]
    [InlineData("radius://host:1812", "identifier:secret@")]
    [InlineData("radius://idonly@host", "identifier:secret@")]
    [InlineData("radius://id:@host", "empty shared secret")]
    [InlineData("radius://id:s%zz@host", "percent-encoding")]
    [InlineData("radius://id%0A:s@host", "bad identifier")]
    [InlineData("radius://id:s@", "host 1: missing host")]
    [InlineData("radius://id:s@h1,,h2", "host 2: missing host")]
    [InlineData("radius://id:s@h1:0", "host 1: bad port")]
    [InlineData("radius://id:s@h1,h2:70000", "host 2: bad port")]
    [InlineData("radius://id:s@host/path", "no path")]
    [InlineData("radius://id:s@host?timeout=1", "no path")]
    [InlineData("radius://id:s@h1,h2,h3,h4,h5,h6,h7,h8,h9", "at most 8 hosts")]
    public void Refuses_bad_urls_with_a_reason(string text, string reason)
    {
        Assert.False(RadiusUrl.TryParse(text, out _, out string? error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_never_repeat_the_secret()
    {
        Assert.False(RadiusUrl.TryParse("radius://id:TopSecret@host:99999", out _, out string? error));
        Assert.DoesNotContain("TopSecret", error, StringComparison.Ordinal);
    }
}
