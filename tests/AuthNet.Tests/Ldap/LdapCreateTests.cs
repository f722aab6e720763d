using MailerQ.Www.Auth.Ldap;
using MailerQ.Www.AuthNet.Tests.Fixtures;
using MailerQ.Www.Core.Config;

namespace MailerQ.Www.AuthNet.Tests.Ldap;

public sealed class LdapCreateTests
{
    [Fact]
    public void A_bad_url_is_a_config_error_on_its_line()
    {
        var diagnostics = new ConfigDiagnostics();
        Assert.Null(LdapAuthBackend.Create(ConfigEntries.WwwAuth("ldap://host:0/dc=x"), diagnostics));
        var error = Assert.Single(diagnostics);
        Assert.Equal(ConfigSeverity.Error, error.Severity);
        Assert.Equal("/etc/mailerq/config.txt:7", error.Origin.ToString());
        Assert.Equal("www-auth", error.Key);
    }

    [Fact]
    public void A_missing_ca_file_is_a_config_error()
    {
        var diagnostics = new ConfigDiagnostics();
        Assert.Null(LdapAuthBackend.Create(ConfigEntries.WwwAuth("ldaps://host/dc=x?cafile=/nonexistent/ca.pem"), diagnostics));
        Assert.Contains("/nonexistent/ca.pem", Assert.Single(diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ca_file_without_certificates_is_a_config_error()
    {
        using var dir = new TempDir("ldapca");
        string path = dir.Write("empty.pem", "not a certificate\n");
        var diagnostics = new ConfigDiagnostics();
        Assert.Null(LdapAuthBackend.Create(ConfigEntries.WwwAuth($"ldaps://host/dc=x?cafile={path}"), diagnostics));
        Assert.True(diagnostics.HasErrors);
    }

    [Fact]
    public void Plain_ldap_to_another_host_warns_about_clear_text_passwords()
    {
        var diagnostics = new ConfigDiagnostics();
        Assert.NotNull(LdapAuthBackend.Create(ConfigEntries.WwwAuth("ldap://ldap.example.org/dc=example,dc=org"), diagnostics));
        var warning = Assert.Single(diagnostics);
        Assert.Equal(ConfigSeverity.Warning, warning.Severity);
        Assert.Contains("clear text", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ldap://127.0.0.1/dc=x")]
    [InlineData("ldap://localhost/dc=x")]
    [InlineData("ldap://ldap.example.org/dc=x?starttls")]
    [InlineData("ldaps://ldap.example.org/dc=x")]
    public void Loopback_and_tls_urls_need_no_warning(string url)
    {
        var diagnostics = new ConfigDiagnostics();
        Assert.NotNull(LdapAuthBackend.Create(ConfigEntries.WwwAuth(url), diagnostics));
        Assert.Empty(diagnostics);
    }
}
