using MailerQ.Www.Auth.Hardcoded;
using MailerQ.Www.Auth.Tests.Support;
using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Auth.Tests.Hardcoded;

public sealed class HardcodedAuthBackendTests
{
    private static HardcodedAuthBackend Parse(string value, out ConfigDiagnostics diagnostics)
    {
        diagnostics = new ConfigDiagnostics();
        return HardcodedAuthBackend.Create(Entries.Auth(value), diagnostics)!;
    }

    [Fact]
    public async Task Accepts_each_listed_user_with_its_own_password()
    {
        var backend = Parse("hardcoded://user:pass,user2:pass2", out _);
        Assert.True((await backend.AuthenticateAsync("user", "pass", default)).Accepted);
        Assert.True((await backend.AuthenticateAsync("user2", "pass2", default)).Accepted);
        Assert.False((await backend.AuthenticateAsync("user", "pass2", default)).Accepted);
        Assert.False((await backend.AuthenticateAsync("User", "pass", default)).Accepted);
        Assert.Equal(AuthOutcome.Rejected, (await backend.AuthenticateAsync("nobody", "pass", default)).Outcome);
    }

    [Fact]
    public async Task Percent_escapes_allow_colons_and_commas_in_values()
    {
        var backend = Parse("hardcoded://a%3Ab:p%2Cq%3Ar,c:x%25y", out var diagnostics);
        Assert.False(diagnostics.HasErrors);
        Assert.True((await backend.AuthenticateAsync("a:b", "p,q:r", default)).Accepted);
        Assert.True((await backend.AuthenticateAsync("c", "x%y", default)).Accepted);
    }

    [Fact]
    public async Task A_raw_colon_in_the_password_belongs_to_the_password()
    {
        var backend = Parse("hardcoded://admin:a:b", out _);
        Assert.True((await backend.AuthenticateAsync("admin", "a:b", default)).Accepted);
    }

    [Fact]
    public void Warns_that_passwords_are_plain_text()
    {
        Parse("hardcoded://admin:secret", out var diagnostics);
        var warning = Assert.Single(diagnostics);
        Assert.Equal(ConfigSeverity.Warning, warning.Severity);
        Assert.Contains("plain text", warning.Message);
        Assert.DoesNotContain("secret", warning.ToString());
    }

    [Theory]
    [InlineData("hardcoded://user:pass,user2,pass2", "entry 2 has no ':'")]
    [InlineData("hardcoded://", "expected hardcoded://user:password")]
    [InlineData("hardcoded://:pw", "entry 1 has an empty or unusable user name")]
    [InlineData("hardcoded://admin:", "empty or unusable password")]
    [InlineData("hardcoded://a:x,a:y", "listed twice")]
    [InlineData("hardcoded://a:%zzsecret", "two hex digits")]
    public void Bad_lists_are_errors_at_the_line_that_never_quote_a_password(string value, string reason)
    {
        var diagnostics = new ConfigDiagnostics();
        Assert.Null(HardcodedAuthBackend.Create(Entries.Auth(value), diagnostics));
        var error = diagnostics.First(d => d.Severity == ConfigSeverity.Error);
        Assert.StartsWith("/etc/mailerq/config.txt:7: www-auth: hardcoded: ", error.ToString());
        Assert.Contains(reason, error.Message);
        foreach (var secret in new[] { "pass2", "secret", ":x", ":y" })
            Assert.DoesNotContain(secret, error.ToString());
    }

    [Fact]
    public async Task Legacy_www_password_is_user_admin_taken_verbatim()
    {
        var backend = HardcodedAuthBackend.CreateLegacy("p%41ss,word");
        Assert.True((await backend.AuthenticateAsync("admin", "p%41ss,word", default)).Accepted);
        Assert.False((await backend.AuthenticateAsync("admin", "pAss,word", default)).Accepted);
    }
}
