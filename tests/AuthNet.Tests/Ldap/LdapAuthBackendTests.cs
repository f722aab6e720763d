using MailerQ.Www.Auth;
using MailerQ.Www.Auth.Ldap;
using MailerQ.Www.AuthNet.Tests.Fixtures;
using MailerQ.Www.Core.Config;

namespace MailerQ.Www.AuthNet.Tests.Ldap;

/// <summary>The LDAP backend against a real, private slapd (one per class).</summary>
public sealed class LdapAuthBackendTests(SlapdFixture fixture) : IClassFixture<SlapdFixture>
{
    private SlapdServer Slapd => fixture.Server;

    private string PlainUrl(string baseDn = SlapdServer.PeopleDn) => $"ldap://127.0.0.1:{Slapd.Port}/{baseDn}";

    private static IAuthBackend Create(string url)
    {
        var diagnostics = new ConfigDiagnostics();
        var backend = LdapAuthBackend.Create(ConfigEntries.WwwAuth(url), diagnostics);
        Assert.False(diagnostics.HasErrors, string.Join("\n", diagnostics));
        return backend!;
    }

    private static ValueTask<AuthResult> Login(IAuthBackend backend, string user, string password) =>
        backend.AuthenticateAsync(user, password, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Accepts_the_right_password()
    {
        var result = await Login(Create(PlainUrl()), "alice", SlapdServer.AlicePassword);
        Assert.Equal(AuthOutcome.Accepted, result.Outcome);
        Assert.Equal("ldap", result.Scheme);
    }

    [Fact]
    public async Task Rejects_a_wrong_password()
    {
        var result = await Login(Create(PlainUrl()), "alice", "wrong");
        Assert.Equal(AuthOutcome.Rejected, result.Outcome);
        Assert.Contains("invalidCredentials", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_an_unknown_user()
    {
        var result = await Login(Create(PlainUrl()), "mallory", SlapdServer.AlicePassword);
        Assert.Equal(AuthOutcome.Rejected, result.Outcome);
    }

    [Fact]
    public async Task Slapd_itself_treats_a_dn_with_an_empty_password_as_a_successful_anonymous_bind()
    {
        // The trap the backend must not fall into (RFC 4513 §5.1.2, "allow bind_anon_dn" in the template).
        string whoami = await Tool.RunAsync("ldapwhoami", "-x", "-H", $"ldap://127.0.0.1:{Slapd.Port}/",
            "-D", $"uid=alice,{SlapdServer.PeopleDn}", "-w", "");
        Assert.Equal("anonymous", whoami.Trim());
    }

    [Fact]
    public async Task Refuses_an_empty_password_against_the_server_that_would_accept_it()
    {
        var result = await Login(Create(PlainUrl()), "alice", "");
        Assert.Equal(AuthOutcome.Rejected, result.Outcome);
        Assert.Contains("empty password", result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*")]
    [InlineData(")(")]
    [InlineData("*)(uid=*")]
    [InlineData(",")]
    [InlineData("=")]
    [InlineData("\\")]
    [InlineData("alice,")]
    [InlineData("alice+cn=Alice")]
    [InlineData("#alice")]
    [InlineData("admin,dc=example,dc=org")]
    [InlineData("cn=admin,dc=example,dc=org")]
    public async Task Dn_injection_names_bind_as_nobody(string name)
    {
        var backend = Create(PlainUrl());
        Assert.Equal(AuthOutcome.Rejected, (await Login(backend, name, SlapdServer.AlicePassword)).Outcome);
        Assert.Equal(AuthOutcome.Rejected, (await Login(backend, name, SlapdServer.RootPassword)).Outcome);
    }

    [Fact]
    public async Task A_name_that_would_reach_another_entry_unescaped_stays_one_value()
    {
        // With base dc=example,dc=org, the unescaped DN "uid=alice,ou=people,dc=example,dc=org" is alice's.
        var backend = Create(PlainUrl(SlapdServer.Suffix));
        var result = await Login(backend, "alice,ou=people", SlapdServer.AlicePassword);
        Assert.Equal(AuthOutcome.Rejected, result.Outcome);
    }

    [Fact]
    public async Task A_real_uid_full_of_dn_specials_binds_as_itself()
    {
        var backend = Create(PlainUrl());
        Assert.Equal(AuthOutcome.Accepted, (await Login(backend, SlapdServer.OddUid, SlapdServer.OddPassword)).Outcome);
        Assert.Equal(AuthOutcome.Rejected, (await Login(backend, SlapdServer.OddUid, "wrong")).Outcome);
    }

    [Theory]
    [InlineData("ALICE")]
    [InlineData(" alice")]
    [InlineData("alice ")]
    public async Task Case_and_surrounding_spaces_follow_the_directorys_matching_rules(string name)
    {
        // uid uses caseIgnoreMatch with insignificant-space handling (RFC 4518 §2.6.1), so slapd finds
        // alice for these escaped values. That is the directory's decision, not an injection: the value
        // is still one escaped RDN, and the password must still be alice's.
        var backend = Create(PlainUrl());
        Assert.Equal(AuthOutcome.Accepted, (await Login(backend, name, SlapdServer.AlicePassword)).Outcome);
        Assert.Equal(AuthOutcome.Rejected, (await Login(backend, name, "wrong")).Outcome);
    }

    [Theory]
    [InlineData("alice\0")]
    [InlineData("\0")]
    [InlineData("alice\n")]
    [InlineData("ali\rce")]
    [InlineData("alice\u007f")]
    [InlineData("alice\u0085")]
    public async Task Control_characters_in_the_name_are_refused(string name)
    {
        var result = await Login(Create(PlainUrl()), name, SlapdServer.AlicePassword);
        Assert.Equal(AuthOutcome.Rejected, result.Outcome);
        Assert.Contains("control", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starttls_with_the_test_ca_accepts_and_rejects()
    {
        var backend = Create($"{PlainUrl()}?starttls&cafile={Slapd.Certificates.CaFile}");
        Assert.Equal(AuthOutcome.Accepted, (await Login(backend, "alice", SlapdServer.AlicePassword)).Outcome);
        Assert.Equal(AuthOutcome.Rejected, (await Login(backend, "alice", "wrong")).Outcome);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task Ldaps_with_the_test_ca_accepts_and_rejects(string host)
    {
        var backend = Create($"ldaps://{host}:{Slapd.TlsPort}/{SlapdServer.PeopleDn}?cafile={Slapd.Certificates.CaFile}");
        Assert.Equal("ldaps", backend.Scheme);
        Assert.Equal(AuthOutcome.Accepted, (await Login(backend, "alice", SlapdServer.AlicePassword)).Outcome);
        Assert.Equal(AuthOutcome.Rejected, (await Login(backend, "alice", "wrong")).Outcome);
    }

    [Fact]
    public async Task Ldaps_fails_when_the_server_certificate_is_from_an_untrusted_ca()
    {
        var backend = Create($"ldaps://127.0.0.1:{Slapd.TlsPort}/{SlapdServer.PeopleDn}?cafile={Slapd.Certificates.OtherCaFile}");
        var result = await Login(backend, "alice", SlapdServer.AlicePassword);
        Assert.Equal(AuthOutcome.Error, result.Outcome);
        Assert.StartsWith("TLS", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ldaps_fails_against_the_system_store_for_a_private_ca()
    {
        var backend = Create($"ldaps://127.0.0.1:{Slapd.TlsPort}/{SlapdServer.PeopleDn}");
        Assert.Equal(AuthOutcome.Error, (await Login(backend, "alice", SlapdServer.AlicePassword)).Outcome);
    }

    [Fact]
    public async Task Ldaps_fails_when_the_certificate_names_another_host()
    {
        // slapd listens on 127.0.0.2 too, with a certificate for localhost and 127.0.0.1 only.
        var backend = Create($"ldaps://127.0.0.2:{Slapd.TlsPort}/{SlapdServer.PeopleDn}?cafile={Slapd.Certificates.CaFile}");
        var result = await Login(backend, "alice", SlapdServer.AlicePassword);
        Assert.Equal(AuthOutcome.Error, result.Outcome);
        Assert.StartsWith("TLS", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starttls_fails_when_the_server_certificate_is_from_an_untrusted_ca()
    {
        var backend = Create($"{PlainUrl()}?starttls&cafile={Slapd.Certificates.OtherCaFile}");
        Assert.Equal(AuthOutcome.Error, (await Login(backend, "alice", SlapdServer.AlicePassword)).Outcome);
    }

    [Fact]
    public async Task A_wrong_base_dn_is_an_error_or_a_rejection_never_an_accept()
    {
        var backend = Create(PlainUrl("ou=nobody,dc=example,dc=org"));
        Assert.NotEqual(AuthOutcome.Accepted, (await Login(backend, "alice", SlapdServer.AlicePassword)).Outcome);
    }

    [Fact]
    public async Task Concurrent_logins_each_get_their_own_answer()
    {
        var backend = Create($"{PlainUrl()}?starttls&cafile={Slapd.Certificates.CaFile}");
        var logins = new List<Task<AuthResult>>();
        for (int i = 0; i < 16; i++)
            logins.Add(Login(backend, "alice", i % 2 == 0 ? SlapdServer.AlicePassword : "wrong").AsTask());
        var results = await Task.WhenAll(logins);
        for (int i = 0; i < results.Length; i++)
            Assert.Equal(i % 2 == 0 ? AuthOutcome.Accepted : AuthOutcome.Rejected, results[i].Outcome);
    }
}
