using System.Diagnostics;
using MailerQ.Www.Auth;
using MailerQ.Www.Auth.Radius;
using MailerQ.Www.AuthNet.Tests.Fixtures;
using MailerQ.Www.Core.Config;

namespace MailerQ.Www.AuthNet.Tests.Radius;

/// <summary>The RADIUS backend against a real, private FreeRADIUS (one per class), built through <c>Create</c>.</summary>
public sealed class RadiusAuthBackendTests(FreeRadiusFixture fixture) : IClassFixture<FreeRadiusFixture>
{
    private FreeRadiusServer Radius => fixture.Server;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private string Url(string secret = FreeRadiusServer.Secret) => $"radius://mailerq-test:{secret}@127.0.0.1:{Radius.Port}";

    private static IAuthBackend Create(string url)
    {
        var diagnostics = new ConfigDiagnostics();
        var backend = RadiusAuthBackend.Create(ConfigEntries.WwwAuth(url), diagnostics);
        Assert.False(diagnostics.HasErrors, string.Join("\n", diagnostics));
        return backend!;
    }

    [Fact]
    public async Task Accepts_the_right_password()
    {
        var clock = Stopwatch.StartNew();
        var result = await Create(Url()).AuthenticateAsync("bob", FreeRadiusServer.BobPassword, Token);
        Assert.Equal(AuthOutcome.Accepted, result.Outcome);
        Assert.Equal("radius", result.Scheme);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Rejects_a_wrong_password()
    {
        var result = await Create(Url()).AuthenticateAsync("bob", "wrong", Token);
        Assert.Equal(AuthOutcome.Rejected, result.Outcome);
        Assert.Contains("Access-Reject", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_an_unknown_user()
    {
        var result = await Create(Url()).AuthenticateAsync("mallory", FreeRadiusServer.BobPassword, Token);
        Assert.Equal(AuthOutcome.Rejected, result.Outcome);
    }

    [Fact]
    public async Task An_access_challenge_counts_as_a_rejection()
    {
        var result = await Create(Url()).AuthenticateAsync("carol", FreeRadiusServer.CarolPassword, Token);
        Assert.Equal(AuthOutcome.Rejected, result.Outcome);
        Assert.Contains("Access-Challenge", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_secret_is_an_error_after_the_retries_within_the_ten_second_budget()
    {
        // FreeRADIUS drops a request whose Message-Authenticator fails with its secret: the client sees silence.
        var clock = Stopwatch.StartNew();
        var result = await Create(Url("not-the-secret-at-all")).AuthenticateAsync("bob", FreeRadiusServer.BobPassword, Token);

        Assert.Equal(AuthOutcome.Error, result.Outcome);
        Assert.Contains("no authentic reply", result.Detail, StringComparison.Ordinal);
        // One host: 3 tries of at most 2 s each.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(5.9), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Fails_over_from_a_dead_port_to_the_live_server_at_once()
    {
        int dead = FreePort.Udp();
        var clock = Stopwatch.StartNew();
        var result = await Create($"radius://mailerq-test:{FreeRadiusServer.Secret}@127.0.0.1:{dead},127.0.0.1:{Radius.Port}")
            .AuthenticateAsync("bob", FreeRadiusServer.BobPassword, Token);

        Assert.Equal(AuthOutcome.Accepted, result.Outcome);
        // The closed port answers with ICMP port unreachable, so no timeout is spent on it (a silent
        // host would cost 3 × 1.5 s; 3 s leaves room for a loaded machine).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Fails_over_from_a_silent_server_to_the_live_one_within_the_budget()
    {
        await using var silent = new FakeRadiusServer((_, _) => []);
        var clock = Stopwatch.StartNew();
        var result = await Create($"radius://mailerq-test:{FreeRadiusServer.Secret}@127.0.0.1:{silent.Port},127.0.0.1:{Radius.Port}")
            .AuthenticateAsync("bob", "wrong", Token);

        Assert.Equal(AuthOutcome.Rejected, result.Outcome);
        Assert.Equal(RadiusLimits.TriesPerHost, silent.Requests.Count);
        // Two hosts share 9 s: 3 tries × 1.5 s on the silent one, then the live one answers.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(4.4), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task A_server_that_is_down_is_an_error_at_once()
    {
        int dead = FreePort.Udp();
        var clock = Stopwatch.StartNew();
        var result = await Create($"radius://mailerq-test:{FreeRadiusServer.Secret}@127.0.0.1:{dead}").AuthenticateAsync("bob", "pw", Token);

        Assert.Equal(AuthOutcome.Error, result.Outcome);
        Assert.Contains("ConnectionRefused", result.Detail, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Silent_hosts_all_together_stay_within_the_ten_second_budget()
    {
        await using var first = new FakeRadiusServer((_, _) => []);
        await using var second = new FakeRadiusServer((_, _) => []);
        await using var third = new FakeRadiusServer((_, _) => []);
        var clock = Stopwatch.StartNew();
        var result = await Create($"radius://id:{FreeRadiusServer.Secret}@127.0.0.1:{first.Port},127.0.0.1:{second.Port},127.0.0.1:{third.Port}")
            .AuthenticateAsync("bob", "pw", Token);

        Assert.Equal(AuthOutcome.Error, result.Outcome);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(8.5), TimeSpan.FromSeconds(10));
        // Every host got its tries: the budget is shared, not eaten by the first.
        Assert.Equal(RadiusLimits.TriesPerHost, first.Requests.Count);
        Assert.Equal(RadiusLimits.TriesPerHost, second.Requests.Count);
        Assert.Equal(RadiusLimits.TriesPerHost, third.Requests.Count);
    }

    [Fact]
    public async Task Concurrent_logins_each_get_their_own_answer()
    {
        var backend = Create(Url());
        var logins = new List<Task<AuthResult>>();
        for (int i = 0; i < 16; i++)
            logins.Add(backend.AuthenticateAsync("bob", i % 2 == 0 ? FreeRadiusServer.BobPassword : "wrong", Token).AsTask());
        var results = await Task.WhenAll(logins);
        for (int i = 0; i < results.Length; i++)
            Assert.Equal(i % 2 == 0 ? AuthOutcome.Accepted : AuthOutcome.Rejected, results[i].Outcome);
    }

    [Fact]
    public void A_bad_url_is_a_config_error_on_its_line()
    {
        var diagnostics = new ConfigDiagnostics();
        Assert.Null(RadiusAuthBackend.Create(ConfigEntries.WwwAuth("radius://id@host"), diagnostics));
        var error = Assert.Single(diagnostics);
        Assert.Equal(ConfigSeverity.Error, error.Severity);
        Assert.Equal("/etc/mailerq/config.txt:7", error.Origin.ToString());
    }

    [Fact]
    public void A_short_secret_draws_a_warning()
    {
        var diagnostics = new ConfigDiagnostics();
        Assert.NotNull(RadiusAuthBackend.Create(ConfigEntries.WwwAuth("radius://id:short@host"), diagnostics));
        Assert.Equal(ConfigSeverity.Warning, Assert.Single(diagnostics).Severity);
    }
}
