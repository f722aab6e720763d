using MailerQ.Www.Auth.Ldap;
using MailerQ.Www.Auth.Net;

namespace MailerQ.Www.AuthNet.Tests.Ldap;

public sealed class LdapUrlTests
{
    [Theory]
    [InlineData("ldap://ldap.example.org/dc=example,dc=org", "ldap.example.org", 389, "dc=example,dc=org", "None")]
    [InlineData("ldap://ldap.example.org:1389/ou=people,dc=example,dc=org", "ldap.example.org", 1389, "ou=people,dc=example,dc=org", "None")]
    [InlineData("LDAP://host/dc=x", "host", 389, "dc=x", "None")]
    [InlineData("ldaps://host/dc=x", "host", 636, "dc=x", "Ldaps")]
    [InlineData("ldaps://host:10636/dc=x", "host", 10636, "dc=x", "Ldaps")]
    [InlineData("ldap://host/dc=x?starttls", "host", 389, "dc=x", "StartTls")]
    [InlineData("ldap://[::1]:1389/ou=My%20People,dc=x", "::1", 1389, "ou=My People,dc=x", "None")]
    public void Parses_the_documented_forms(string text, string host, int port, string baseDn, string security)
    {
        Assert.True(LdapUrl.TryParse(text, out var url, out string? error), error);
        Assert.Equal(new LdapUrl(new HostPort(host, port), baseDn, Enum.Parse<LdapSecurity>(security), null), url);
    }

    [Theory]
    [InlineData("ldap://host/dc=x?starttls&cafile=/etc/ssl/ca.pem", "StartTls", "/etc/ssl/ca.pem")]
    [InlineData("ldaps://host/dc=x?cafile=/etc/my%20ca.pem", "Ldaps", "/etc/my ca.pem")]
    public void Parses_a_ca_file_for_tls(string text, string security, string caFile)
    {
        Assert.True(LdapUrl.TryParse(text, out var url, out string? error), error);
        Assert.Equal(Enum.Parse<LdapSecurity>(security), url!.Security);
        Assert.Equal(caFile, url.CaFile);
    }

    [Theory]
    [InlineData("ldapx://host/dc=x", "expected ldap://")]
    [InlineData("ldap://host", "missing base DN")]
    [InlineData("ldap://host/", "base DN")]
    [InlineData("ldap://host/example", "base DN")]
    [InlineData("ldap://host?starttls", "missing base DN")]
    [InlineData("ldap://user:pw@host/dc=x", "user information")]
    [InlineData("ldap://host:99999/dc=x", "bad port")]
    [InlineData("ldap:///dc=x", "missing host")]
    [InlineData("ldap://host/dc=%zz", "percent-encoding")]
    [InlineData("ldap://host/dc=x?sizelimit=1", "unknown option")]
    [InlineData("ldaps://host/dc=x?starttls", "ldaps:// is TLS already")]
    [InlineData("ldap://host/dc=x?cafile=/ca.pem", "cafile= needs TLS")]
    [InlineData("ldap://host/dc=x?starttls&cafile=", "needs a file name")]
    public void Refuses_bad_urls_with_a_reason(string text, string reason)
    {
        Assert.False(LdapUrl.TryParse(text, out _, out string? error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
