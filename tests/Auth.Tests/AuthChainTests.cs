using MailerQ.Www.Auth.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace MailerQ.Www.Auth.Tests;

public sealed class AuthChainTests
{
    [Fact]
    public async Task First_accepting_backend_wins_and_later_ones_are_not_asked()
    {
        var a = FakeBackend.Always("file", AuthOutcome.Rejected);
        var b = FakeBackend.Always("ldap", AuthOutcome.Accepted);
        var c = FakeBackend.Always("http", AuthOutcome.Accepted);
        using var chain = new AuthChain([a, b, c]);
        var result = await chain.AuthenticateAsync("alice", "pw", default);
        Assert.True(result.Accepted);
        Assert.Equal("ldap", result.Scheme);
        Assert.Equal((1, 1, 0), (a.Calls, b.Calls, c.Calls));
    }

    [Fact]
    public async Task Error_counts_as_no_and_the_next_backend_is_tried()
    {
        var down = FakeBackend.Always("ldap", AuthOutcome.Error);
        var local = FakeBackend.Always("file", AuthOutcome.Accepted);
        using var chain = new AuthChain([down, local]);
        var result = await chain.AuthenticateAsync("alice", "pw", default);
        Assert.Equal(("file", AuthOutcome.Accepted), (result.Scheme, result.Outcome));
    }

    [Fact]
    public async Task All_failing_is_one_rejection_with_every_reason_for_the_log()
    {
        using var chain = new AuthChain([FakeBackend.Always("ldap", AuthOutcome.Error), FakeBackend.Always("file", AuthOutcome.Rejected)]);
        var result = await chain.AuthenticateAsync("alice", "pw", default);
        Assert.Equal(AuthOutcome.Rejected, result.Outcome);
        Assert.Equal("file", result.Scheme);
        Assert.Equal("ldap: error; file: rejected", result.Detail);
    }

    [Fact]
    public async Task A_throwing_backend_is_an_error_not_a_crash()
    {
        var broken = new FakeBackend("radius", (_, _) => AuthOutcome.Accepted) { Throws = new InvalidOperationException("bug") };
        var next = FakeBackend.Always("file", AuthOutcome.Accepted);
        using var chain = new AuthChain([broken, next]);
        var result = await chain.AuthenticateAsync("alice", "pw", default);
        Assert.Equal("file", result.Scheme);
        Assert.Equal(1, broken.Calls);
    }

    [Theory]
    [InlineData("alice", "")]
    [InlineData("", "pw")]
    [InlineData("ali\nce", "pw")]
    [InlineData("alice", "pw\u0000")]
    public async Task Malformed_credentials_reach_no_backend(string user, string password)
    {
        var backend = FakeBackend.Always("ldap", AuthOutcome.Accepted);
        using var chain = new AuthChain([backend]);
        Assert.Equal(AuthOutcome.Rejected, (await chain.AuthenticateAsync(user, password, default)).Outcome);
        Assert.Equal(0, backend.Calls);
    }

    [Fact]
    public async Task Empty_chain_rejects()
    {
        using var chain = new AuthChain([]);
        Assert.True(chain.IsEmpty);
        Assert.Equal(AuthOutcome.Rejected, (await chain.AuthenticateAsync("a", "b", default)).Outcome);
    }

    [Fact]
    public async Task A_backend_over_its_budget_is_abandoned_as_an_error()
    {
        var time = new FakeTimeProvider();
        var hang = new FakeBackend("ldap", (_, _) => AuthOutcome.Accepted) { Delay = ct => Task.Delay(Timeout.Infinite, ct) };
        var next = FakeBackend.Always("file", AuthOutcome.Accepted);
        using var chain = new AuthChain([hang, next], time, TimeSpan.FromSeconds(12));
        var pending = chain.AuthenticateAsync("alice", "pw", default).AsTask();
        while (hang.Calls == 0) await Task.Delay(1);
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(12));
        var result = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("file", result.Scheme);
    }
}
