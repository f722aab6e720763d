using System.Diagnostics;
using MailerQ.Www.Auth.Tests.Support;
using MailerQ.Www.Auth.Users;
using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Auth.Tests.Users;

/// <summary>users:// against real accounts through the real libpam and pam_unix (the tests run as root, as CI does).</summary>
public sealed class UsersAuthBackendTests : IDisposable
{
    private readonly LinuxAccounts _accounts = new();

    public void Dispose() => _accounts.Dispose();

    private UsersAuthBackend Create(string list, string service)
    {
        var diagnostics = new ConfigDiagnostics();
        var backend = UsersAuthBackend.Create(Entries.Auth("users://" + list), diagnostics, service);
        Assert.Empty(diagnostics);
        return backend!;
    }

    [Fact]
    public async Task Listed_account_logs_in_with_its_password()
    {
        string alice = _accounts.Add("alice", "Alice-pw-1");
        var backend = Create($"root,{alice}", _accounts.UnixService());
        var result = await backend.AuthenticateAsync(alice, "Alice-pw-1", default);
        Assert.True(result.Accepted, result.Detail);
        Assert.Equal("users", result.Scheme);
    }

    [Fact]
    public async Task Glob_entries_match_account_names()
    {
        string c1 = _accounts.Add("client1", "c1-pw");
        string c2 = _accounts.Add("clientb", "cb-pw");
        string other = _accounts.Add("ops", "ops-pw");
        var backend = Create($"{_accounts.Prefix}client*", _accounts.UnixService());
        Assert.True((await backend.AuthenticateAsync(c1, "c1-pw", default)).Accepted);
        Assert.True((await backend.AuthenticateAsync(c2, "cb-pw", default)).Accepted);
        Assert.Equal("user not in the users:// list", (await backend.AuthenticateAsync(other, "ops-pw", default)).Detail);
    }

    [Fact]
    public async Task Wrong_password_is_rejected()
    {
        string bob = _accounts.Add("bob", "Bob-pw-1");
        var backend = Create(bob, _accounts.UnixService());
        var result = await backend.AuthenticateAsync(bob, "Bob-pw-2", default);
        Assert.Equal(AuthOutcome.Rejected, result.Outcome);
        Assert.StartsWith("pam_authenticate: Authentication failure", result.Detail);
    }

    [Fact]
    public async Task Locked_account_is_rejected()
    {
        string carol = _accounts.Add("carol", "Carol-pw-1");
        Cli.Run("usermod", "-L", carol);
        var backend = Create(carol, _accounts.UnixService());
        Assert.Equal(AuthOutcome.Rejected, (await backend.AuthenticateAsync(carol, "Carol-pw-1", default)).Outcome);
    }

    [Fact]
    public async Task Expired_account_is_rejected_by_account_management()
    {
        string dave = _accounts.Add("dave", "Dave-pw-1");
        Cli.Run("chage", "-E", "0", dave);
        var backend = Create(dave, _accounts.UnixService());
        var result = await backend.AuthenticateAsync(dave, "Dave-pw-1", default);
        Assert.Equal(AuthOutcome.Rejected, result.Outcome);
        Assert.StartsWith("pam_acct_mgmt: User account has expired", result.Detail);
    }

    [Fact]
    public async Task Account_without_password_cannot_log_in_even_with_nullok()
    {
        string erin = _accounts.Add("erin", "Erin-pw-1");
        Cli.Run("passwd", "-d", erin);
        var service = _accounts.Service("nullok", "auth required pam_unix.so nullok nodelay\naccount required pam_unix.so\n");
        var backend = Create(erin, service);
        Assert.Equal(AuthOutcome.Rejected, (await backend.AuthenticateAsync(erin, "", default)).Outcome);
    }

    [Fact]
    public async Task Names_outside_the_list_never_reach_PAM()
    {
        // pam_permit would say yes to anyone: a rejection proves PAM was not asked.
        var backend = Create($"{_accounts.Prefix}x", _accounts.PermitService());
        Assert.True((await backend.AuthenticateAsync($"{_accounts.Prefix}x", "whatever", default)).Accepted);
        Assert.Equal(AuthOutcome.Rejected, (await backend.AuthenticateAsync("root", "whatever", default)).Outcome);
        Assert.Equal(AuthOutcome.Rejected, (await backend.AuthenticateAsync($"{_accounts.Prefix}y", "whatever", default)).Outcome);
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("-x")]
    [InlineData("../../etc/passwd")]
    [InlineData("$(touch /tmp/x)")]
    public async Task A_star_still_admits_only_plain_account_names(string name)
    {
        var backend = Create("*", _accounts.PermitService());
        Assert.Equal(AuthOutcome.Rejected, (await backend.AuthenticateAsync(name, "pw", default)).Outcome);
        Assert.True((await backend.AuthenticateAsync("plain.name", "pw", default)).Accepted);
    }

    [Fact]
    public async Task Default_login_service_works_for_root_in_this_container()
    {
        // Debian 12's /etc/pam.d/login: pam_faildelay (3 s on failure), pam_nologin (no /etc/nologin here),
        // common-auth (pam_unix nullok), pam_group, common-account. No pam_securetty, so root is not special.
        string frank = _accounts.Add("frank", "Frank-pw-1");
        var backend = Create(frank, AuthBackendOptions.DefaultPamService);
        Assert.Equal("login", backend.PamService);
        Assert.True((await backend.AuthenticateAsync(frank, "Frank-pw-1", default)).Accepted);

        var sw = Stopwatch.StartNew();
        var wrong = await backend.AuthenticateAsync(frank, "Frank-pw-2", default);
        Assert.Equal(AuthOutcome.Rejected, wrong.Outcome);
        // Linux-PAM randomises the failure delay (pam_delay.c: base × (1 + u − 0.5), u the mean of three uniform draws),
        // so 3 s becomes anything in [1.5 s, 4.5 s); a CI run saw 1.9 s. 1.5 s is the floor PAM guarantees; a failure
        // without the delay returns in milliseconds.
        Assert.True(sw.Elapsed >= TimeSpan.FromSeconds(1.5), $"login's pam_faildelay should hold a failure 1.5–4.5 s, took {sw.Elapsed}");
    }

    [Fact]
    public async Task A_hanging_PAM_module_is_abandoned_after_the_timeout()
    {
        using var dir = new TempDir();
        string sleeper = dir.Script("sleep.sh", "#!/bin/sh\nexec sleep 5\n");
        var service = _accounts.Service("hang", $"auth required pam_exec.so quiet {sleeper}\naccount required pam_permit.so\n");
        var pam = new PamAuthenticator(service, timeout: TimeSpan.FromMilliseconds(500));
        var backend = new UsersAuthBackend([new UserNamePattern("*")], pam);
        var sw = Stopwatch.StartNew();
        var result = await backend.AuthenticateAsync("someone", "pw", default);
        Assert.Equal((AuthOutcome.Error, "PAM timeout"), (result.Outcome, result.Detail));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3), sw.Elapsed.ToString());
    }

    [Fact]
    public async Task Parallel_logins_each_get_their_own_answer()
    {
        string a = _accounts.Add("para", "Para-pw-1");
        var backend = Create(a, _accounts.UnixService());
        var tasks = Enumerable.Range(0, 12).Select(i => backend.AuthenticateAsync(a, i % 2 == 0 ? "Para-pw-1" : "wrong", default).AsTask()).ToArray();
        var results = await Task.WhenAll(tasks);
        for (int i = 0; i < results.Length; i++)
            Assert.Equal(i % 2 == 0, results[i].Accepted);
    }

    [Theory]
    [InlineData("users://", "expected users://name")]
    [InlineData("users://a,,b", "\"\" is not an account name")]
    [InlineData("users://a/b", "a/b is not an account name")]
    [InlineData("users://a b", "\"a b\" is not an account name")]
    public void Bad_lists_are_config_errors(string value, string reason)
    {
        var diagnostics = new ConfigDiagnostics();
        Assert.Null(UsersAuthBackend.Create(Entries.Auth(value), diagnostics, "login"));
        Assert.Contains(reason, Assert.Single(diagnostics).Message);
    }

    [Fact]
    public void A_service_without_its_pam_d_file_draws_a_warning()
    {
        var diagnostics = new ConfigDiagnostics();
        Assert.NotNull(UsersAuthBackend.Create(Entries.Auth("users://a"), diagnostics, "no-such-service-here"));
        Assert.Contains("PAM uses the \"other\" service", Assert.Single(diagnostics).Message);

        var bad = new ConfigDiagnostics();
        Assert.Null(UsersAuthBackend.Create(Entries.Auth("users://a"), bad, "../etc/passwd"));
        Assert.Contains("must be a file name in /etc/pam.d", bad.First(d => d.Severity == ConfigSeverity.Error).Message);
    }
}
