using MailerQ.Www.Auth.Sessions;
using Microsoft.Extensions.Time.Testing;

namespace MailerQ.Www.Auth.Tests.Sessions;

public sealed class BasicAuthCacheTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Remembers_a_success_for_sixty_seconds_exactly_for_that_password()
    {
        var cache = new BasicAuthCache(_time);
        cache.Add("alice", "pw", "ldap");
        Assert.True(cache.TryGet("alice", "pw", out var hit));
        Assert.Equal(("alice", "ldap"), (hit.User, hit.Scheme));
        Assert.False(cache.TryGet("alice", "pw2", out _));
        Assert.False(cache.TryGet("alice2", "pw", out _));
        Assert.False(cache.TryGet("Alice", "pw", out _));

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.True(cache.TryGet("alice", "pw", out _));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cache.TryGet("alice", "pw", out _));
    }

    [Fact]
    public void User_and_password_boundaries_cannot_be_shifted()
    {
        var cache = new BasicAuthCache(_time);
        cache.Add("ab", "c", "file");
        Assert.False(cache.TryGet("a", "bc", out _));
        Assert.False(cache.TryGet("abc", "", out _));
    }

    [Fact]
    public void Clear_forgets_everything_and_size_is_bounded()
    {
        var cache = new BasicAuthCache(_time);
        for (int i = 0; i < BasicAuthCache.MaxEntries * 2; i++)
            cache.Add("u" + i, "pw", "file");
        Assert.True(cache.Count <= BasicAuthCache.MaxEntries);
        cache.Clear();
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Two_processes_derive_different_keys()
    {
        // The HMAC key is random per instance: a dump of one cache says nothing about another's entries.
        var a = new BasicAuthCache(_time);
        var b = new BasicAuthCache(_time);
        a.Add("alice", "pw", "file");
        Assert.False(b.TryGet("alice", "pw", out _));
    }
}
