using MailerQ.Www.Auth.Tests.Support;
using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Auth.Tests;

public sealed class AuthSchemeRegistryTests
{
    [Fact]
    public void Default_registry_knows_the_builtin_schemes()
    {
        var registry = AuthSchemeRegistry.CreateDefault();
        Assert.Equal(["exec", "file", "hardcoded", "http", "https", "ldap", "ldaps", "radius", "users"], registry.Schemes);
    }

    [Fact]
    public void Unknown_scheme_is_an_error_at_the_line()
    {
        var diagnostics = new ConfigDiagnostics();
        var backend = AuthSchemeRegistry.CreateDefault().Create(Entries.Auth("kerberos://realm", line: 12), diagnostics);
        Assert.Null(backend);
        var d = Assert.Single(diagnostics);
        Assert.Equal(ConfigSeverity.Error, d.Severity);
        Assert.StartsWith("/etc/mailerq/config.txt:12: www-auth: unknown scheme \"kerberos\"; known: exec, file, hardcoded", d.ToString());
    }

    [Theory]
    [InlineData("admin:secret")]
    [InlineData("/etc/users.txt")]
    [InlineData("hardcoded:/admin:secret")]
    public void Value_without_scheme_is_an_error_that_does_not_echo_it(string value)
    {
        var diagnostics = new ConfigDiagnostics();
        Assert.Null(AuthSchemeRegistry.CreateDefault().Create(Entries.Auth(value), diagnostics));
        var d = Assert.Single(diagnostics);
        Assert.Equal("/etc/mailerq/config.txt:7: www-auth: expected a URL scheme://…, e.g. file:///etc/mailerq/users.txt", d.ToString());
        Assert.DoesNotContain("secret", d.ToString());
    }

    [Fact]
    public void A_plugged_in_scheme_takes_one_line()
    {
        var registry = AuthSchemeRegistry.CreateDefault();
        registry.Register("sso", (entry, diagnostics) => FakeBackend.Always("sso", AuthOutcome.Accepted));
        var backend = registry.Create(Entries.Auth("SSO://sso.example.com/realm"), new ConfigDiagnostics());
        Assert.Equal("sso", backend!.Scheme);
        Assert.Throws<ArgumentException>(() => registry.Register("Sso", (_, _) => null));
        Assert.Throws<ArgumentException>(() => registry.Register("LDAP", (_, _) => null));
    }

    [Fact]
    public void A_factory_that_throws_a_config_exception_becomes_a_diagnostic()
    {
        var registry = new AuthSchemeRegistry();
        registry.Register("radius", (_, _) => throw new FormatException("port out of range"));
        var diagnostics = new ConfigDiagnostics();
        Assert.Null(registry.Create(Entries.Auth("radius://id:s@host:99999"), diagnostics));
        Assert.Equal("/etc/mailerq/config.txt:7: www-auth: radius: port out of range", Assert.Single(diagnostics).ToString());
    }

    [Fact]
    public void A_factory_returning_null_silently_still_makes_an_error()
    {
        var registry = new AuthSchemeRegistry();
        registry.Register("x", (_, _) => null);
        var diagnostics = new ConfigDiagnostics();
        Assert.Null(registry.Create(Entries.Auth("x://y"), diagnostics));
        Assert.True(diagnostics.HasErrors);
    }

    [Fact]
    public async Task Chain_keeps_config_order_and_appends_legacy_www_password_as_admin()
    {
        var diagnostics = new ConfigDiagnostics();
        using var chain = AuthSchemeRegistry.CreateDefault().CreateChain(
            [Entries.Auth("hardcoded://alice:one", 3), Entries.Auth("hardcoded://bob:two", 4)], "legacy pw", diagnostics);
        Assert.False(diagnostics.HasErrors);
        Assert.Equal(3, chain.Backends.Count);
        Assert.True((await chain.AuthenticateAsync("admin", "legacy pw", default)).Accepted);
        Assert.True((await chain.AuthenticateAsync("bob", "two", default)).Accepted);
        Assert.False((await chain.AuthenticateAsync("admin", "one", default)).Accepted);
    }

    [Fact]
    public void Chain_from_settings_reports_every_bad_line()
    {
        var diagnostics = new ConfigDiagnostics();
        var www = new WwwSettings { Dir = "/tmp", Auth = [Entries.Auth("nope://", 3), Entries.Auth("hardcoded://a:b", 4), Entries.Auth("file://rel.txt", 5)] };
        using var chain = AuthSchemeRegistry.CreateDefault().CreateChain(www, diagnostics);
        Assert.Single(chain.Backends);
        var errors = diagnostics.Where(d => d.Severity == ConfigSeverity.Error).Select(d => d.Origin.Line).ToArray();
        Assert.Equal([3, 5], errors);
    }
}
