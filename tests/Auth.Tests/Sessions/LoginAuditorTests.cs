using System.Net;
using MailerQ.Www.Auth.Sessions;
using MailerQ.Www.Core.Logging;

namespace MailerQ.Www.Auth.Tests.Sessions;

public sealed class LoginAuditorTests
{
    private readonly List<(LogLevel Level, string Message, string Fields)> _lines = [];

    private LoginAuditor Auditor() => new((level, message, fields) => _lines.Add((level, message, fields)));

    [Fact]
    public void One_line_per_success_failure_and_lockout()
    {
        var auditor = Auditor();
        var ip = IPAddress.Parse("192.0.2.7");
        auditor.Succeeded("alice", ip, "file", "form");
        auditor.Failed("bob", ip, "ldap", "ldap: rejected (invalid credentials)");
        auditor.LockedOut("bob", IPAddress.Parse("2001:db8::1"), 42);
        Assert.Equal(
            [(LogLevel.Info, "login succeeded", "user=alice ip=192.0.2.7 scheme=file method=form"),
             (LogLevel.Warning, "login failed", "user=bob ip=192.0.2.7 scheme=ldap reason=\"ldap: rejected (invalid credentials)\""),
             (LogLevel.Warning, "login locked out", "user=bob ip=2001:db8::1 retry_after=42")],
            _lines);
    }

    [Fact]
    public void Control_characters_in_user_names_cannot_forge_log_lines()
    {
        var auditor = Auditor();
        auditor.Failed("eve\n2025-01-01T00:00:00.000Z info auth login succeeded user=admin\u001b[2J", null, "file", null);
        var (_, _, fields) = Assert.Single(_lines);
        Assert.DoesNotContain('\n', fields);
        Assert.DoesNotContain('\u001b', fields);
        Assert.StartsWith("user=\"eve\\n2025-01-01T00:00:00.000Z info auth login succeeded user=admin\\x1b[2J\" ip=- ", fields);
    }

    [Fact]
    public void Long_user_names_are_cut()
    {
        var auditor = Auditor();
        auditor.Succeeded(new string('a', 1000), null, "file", "basic");
        Assert.True(Assert.Single(_lines).Fields.Length < 200);
    }
}
