using System.Net;
using MailerQ.Www.Auth.Sessions;
using Microsoft.Extensions.Time.Testing;

namespace MailerQ.Www.Auth.Tests.Sessions;

public sealed class LoginThrottleTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Five_failures_for_a_user_lock_it_for_up_to_sixty_seconds()
    {
        var throttle = new LoginThrottle(_time);
        for (int i = 0; i < 5; i++)
        {
            Assert.True(throttle.Check("alice", IPAddress.Parse($"198.51.100.{i}")).Allowed);
            throttle.RecordFailure("alice", IPAddress.Parse($"198.51.100.{i}"));
            _time.Advance(TimeSpan.FromSeconds(1));
        }
        var locked = throttle.Check("alice", IPAddress.Parse("203.0.113.9"));
        Assert.False(locked.Allowed);
        // The oldest of the five (t=0) leaves the window at t=60; it is t=5 now.
        Assert.Equal(55, locked.RetryAfterSeconds);
        Assert.True(throttle.Check("ALICE", null).Allowed == false, "user names count case-insensitively");
        Assert.True(throttle.Check("bob", IPAddress.Parse("203.0.113.9")).Allowed);

        _time.Advance(TimeSpan.FromSeconds(54));
        Assert.False(throttle.Check("alice", null).Allowed);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(throttle.Check("alice", null).Allowed);
    }

    [Fact]
    public void Five_failures_from_one_address_lock_the_address_for_every_name()
    {
        var throttle = new LoginThrottle(_time);
        for (int i = 0; i < 5; i++)
            throttle.RecordFailure("user" + i, Client);
        var locked = throttle.Check("someone-else", Client);
        Assert.False(locked.Allowed);
        Assert.Equal(60, locked.RetryAfterSeconds);
        Assert.True(throttle.Check("someone-else", IPAddress.Parse("192.0.2.11")).Allowed);
        Assert.False(throttle.Check("x", IPAddress.Parse("::ffff:192.0.2.10")).Allowed);
    }

    [Fact]
    public void Failures_spread_over_more_than_a_minute_never_lock()
    {
        var throttle = new LoginThrottle(_time);
        for (int i = 0; i < 20; i++)
        {
            Assert.True(throttle.Check("alice", Client).Allowed, $"attempt {i}");
            throttle.RecordFailure("alice", Client);
            _time.Advance(TimeSpan.FromSeconds(15));
        }
    }

    [Fact]
    public void Success_resets_the_user_but_not_the_address()
    {
        var throttle = new LoginThrottle(_time);
        for (int i = 0; i < 4; i++)
            throttle.RecordFailure("alice", Client);
        throttle.RecordSuccess("alice");
        throttle.RecordFailure("alice", IPAddress.Parse("192.0.2.99"));
        Assert.True(throttle.Check("alice", IPAddress.Parse("192.0.2.99")).Allowed);
        throttle.RecordFailure("bob", Client);
        Assert.False(throttle.Check("carol", Client).Allowed);
    }

    [Fact]
    public void IPv6_clients_count_per_64()
    {
        var throttle = new LoginThrottle(_time);
        for (int i = 1; i <= 5; i++)
            throttle.RecordFailure("u" + i, IPAddress.Parse($"2001:db8:1:2::{i:x}"));
        Assert.False(throttle.Check("x", IPAddress.Parse("2001:db8:1:2:ffff::1")).Allowed);
        Assert.True(throttle.Check("x", IPAddress.Parse("2001:db8:1:3::1")).Allowed);
        Assert.Equal("2001:db8:1:2::/64", LoginThrottle.AddressKey(IPAddress.Parse("2001:db8:1:2:aaaa:bbbb:cccc:dddd")));
    }

    [Fact]
    public void Retry_after_is_whole_seconds_rounded_up()
    {
        Assert.Equal(1, new ThrottleDecision(false, TimeSpan.FromMilliseconds(10)).RetryAfterSeconds);
        Assert.Equal(3, new ThrottleDecision(false, TimeSpan.FromMilliseconds(2001)).RetryAfterSeconds);
        Assert.Equal(60, new ThrottleDecision(false, TimeSpan.FromSeconds(60)).RetryAfterSeconds);
        Assert.Equal(0, ThrottleDecision.Allow.RetryAfterSeconds);
    }
}
