using MailerQ.Www.Core.Settings;
using Microsoft.Extensions.Time.Testing;

namespace MailerQ.Www.Delivery.Tests.Settings;

/// <summary>The queries the delivery engine asks: MailerQ's matching rules (docs/settings.md).</summary>
public sealed class SettingsSnapshotTests
{
    private static readonly string[] NoTags = [];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private static SettingsSnapshot Snapshot(SettingsData data) => new(1, data);

    private static readonly IpPool[] Pools = [new("warm", null)];
    private static readonly PoolIp[] PoolIps = [new("192.0.2.10", "warm"), new("192.0.2.11", "warm")];

    [Fact]
    public void No_pause_means_deliveries_run()
    {
        Assert.Null(SettingsSnapshot.Empty.FindPause("192.0.2.1", "example.com", null, NoTags, _time.GetUtcNow()));
    }

    [Fact]
    public void An_all_wildcard_pause_stops_everything()
    {
        var s = Snapshot(new SettingsData { Pauses = [new Pause { Id = 1, Mta = "*", Domain = "*" }] });
        Assert.NotNull(s.FindPause("192.0.2.1", "example.com", "198.51.100.1", ["x"], _time.GetUtcNow()));
    }

    [Fact]
    public void A_pause_matches_its_mta_domain_and_tag_only()
    {
        var s = Snapshot(new SettingsData { Pauses = [new Pause { Id = 1, Mta = "192.0.2.1", Domain = "Example.com", Tag = "news" }] });
        var now = _time.GetUtcNow();
        Assert.NotNull(s.FindPause("192.0.2.1", "example.COM", null, ["other", "news"], now));
        Assert.Null(s.FindPause("192.0.2.2", "example.com", null, ["news"], now));
        Assert.Null(s.FindPause("192.0.2.1", "example.org", null, ["news"], now));
        Assert.Null(s.FindPause("192.0.2.1", "example.com", null, ["News"], now));
        Assert.Null(s.FindPause("192.0.2.1", "example.com", null, NoTags, now));
    }

    [Fact]
    public void A_pool_pause_matches_the_pools_ips()
    {
        var s = Snapshot(new SettingsData { Pools = Pools, PoolIps = PoolIps, Pauses = [new Pause { Id = 1, Pool = "warm" }] });
        var now = _time.GetUtcNow();
        Assert.NotNull(s.FindPause("192.0.2.11", "example.com", null, NoTags, now));
        Assert.Null(s.FindPause("192.0.2.12", "example.com", null, NoTags, now));
    }

    [Fact]
    public void A_remote_ip_pause_needs_the_remote_ip_to_be_known()
    {
        var s = Snapshot(new SettingsData { Pauses = [new Pause { Id = 1, Ip = "198.51.100.7" }] });
        var now = _time.GetUtcNow();
        Assert.Null(s.FindPause("192.0.2.1", "example.com", null, NoTags, now));
        Assert.Null(s.FindPause("192.0.2.1", "example.com", "198.51.100.8", NoTags, now));
        Assert.NotNull(s.FindPause("192.0.2.1", "example.com", "198.51.100.7", NoTags, now));
    }

    [Fact]
    public void The_most_specific_pause_wins_and_ties_go_to_the_oldest()
    {
        var s = Snapshot(new SettingsData
        {
            Pools = Pools,
            PoolIps = PoolIps,
            Pauses =
            [
                new Pause { Id = 1, Domain = "example.com" },
                new Pause { Id = 2, Pool = "warm", Domain = "example.com" },
                new Pause { Id = 3, Mta = "192.0.2.10", Domain = "example.com" },
                new Pause { Id = 4, Tag = "news" },
                new Pause { Id = 5, Mta = "192.0.2.10", Domain = "example.com", Ip = "198.51.100.7" },
            ],
        });
        var now = _time.GetUtcNow();
        Assert.Equal(3, s.FindPause("192.0.2.10", "example.com", null, NoTags, now)!.Id);
        Assert.Equal(5, s.FindPause("192.0.2.10", "example.com", "198.51.100.7", NoTags, now)!.Id);
        Assert.Equal(2, s.FindPause("192.0.2.11", "example.com", null, NoTags, now)!.Id);
        // Domain only (1) and tag only (4) score the same: the older row.
        Assert.Equal(1, s.FindPause("192.0.2.99", "example.com", null, ["news"], now)!.Id);
    }

    [Fact]
    public void An_expired_pause_no_longer_applies()
    {
        var s = Snapshot(new SettingsData { Pauses = [new Pause { Id = 1, Domain = "example.com", Expire = _time.GetUtcNow().AddMinutes(5) }] });
        Assert.NotNull(s.FindPause("192.0.2.1", "example.com", null, NoTags, _time.GetUtcNow()));
        Assert.Equal(1, s.ActivePauseCount(_time.GetUtcNow()));
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(s.FindPause("192.0.2.1", "example.com", null, NoTags, _time.GetUtcNow()));
        Assert.Equal(0, s.ActivePauseCount(_time.GetUtcNow()));
    }

    [Fact]
    public void The_most_specific_forced_error_wins()
    {
        var s = Snapshot(new SettingsData
        {
            Pools = Pools,
            PoolIps = PoolIps,
            ForcedErrors =
            [
                new ForcedError { Id = 1, Code = 451, Domain = "example.com" },
                new ForcedError { Id = 2, Code = 550, Extended = "5.7.1", Pool = "warm", Domain = "example.com" },
                new ForcedError { Id = 3, Code = 421, Tag = "bulk", Mta = "*" },
            ],
        });
        Assert.Equal(550, s.FindForcedError("192.0.2.10", "example.com", null, NoTags)!.Code);
        Assert.Equal(451, s.FindForcedError("192.0.2.1", "example.com", null, NoTags)!.Code);
        Assert.Equal(421, s.FindForcedError("192.0.2.1", "example.org", null, ["bulk"])!.Code);
        Assert.Null(s.FindForcedError("192.0.2.1", "example.org", null, NoTags));
    }

    [Fact]
    public void Suppression_matches_the_address_case_insensitively_or_its_domain()
    {
        var s = Snapshot(new SettingsData
        {
            Suppressions =
            [
                new Suppression { Type = SuppressionType.Address, Value = "Bounce@Example.com", Code = 550 },
                new Suppression { Type = SuppressionType.Domain, Value = "trap.example", Code = 551 },
            ],
        });
        Assert.Equal(550, s.FindSuppression("bounce@example.COM")!.Code);
        Assert.Equal(551, s.FindSuppression("anyone@TRAP.example")!.Code);
        Assert.Null(s.FindSuppression("someone@example.com"));
        Assert.Null(s.FindSuppression("x@sub.trap.example"));
    }

    [Fact]
    public void Without_throttles_the_built_in_defaults_apply()
    {
        var t = SettingsSnapshot.Empty.ResolveThrottle("192.0.2.1", "example.com");
        Assert.Equal(ThrottleDefaults.DomainMaxActive, t.DomainMaxActive);
        Assert.Equal(0, t.DomainMessagesPerMinute);
        Assert.Equal(100, t.ConnectionMaxMessages);
        Assert.Equal(10, t.ConnectionIdleSeconds);
        foreach (var limit in Enum.GetValues<ThrottleLimit>()) Assert.Null(t.SourceOf(limit));
    }

    [Fact]
    public void Limits_cascade_from_higher_to_lower_priority_then_to_the_defaults()
    {
        var s = Snapshot(new SettingsData
        {
            Pools = Pools,
            PoolIps = PoolIps,
            Throttles =
            [
                new Throttle { Id = 1, Name = "base", Priority = 0, Limits = new ThrottleLimits { DomainMessagesPerMinute = 1000, DomainMaxActive = 10, IpMaxActive = 4 } },
                new Throttle { Id = 2, Name = "gmail", Priority = 10, Patterns = [new("*", "gmail.com")], Limits = new ThrottleLimits { DomainMessagesPerMinute = 60, DomainMaxActive = 0 } },
                new Throttle { Id = 3, Name = "warm-gmail", Priority = 20, Patterns = [new("warm", "GMAIL.com")], Limits = new ThrottleLimits { DomainMessagesPerMinute = 5 } },
                new Throttle { Id = 4, Name = "other-ip", Priority = 30, Patterns = [new("192.0.2.99", "")], Limits = new ThrottleLimits { DomainMessagesPerMinute = 1 } },
            ],
        });
        var warm = s.ResolveThrottle("192.0.2.10", "gmail.com");
        Assert.Equal(5, warm.DomainMessagesPerMinute);
        Assert.Equal("warm-gmail", warm.SourceOf(ThrottleLimit.DomainMessagesPerMinute));
        Assert.Equal(0, warm.DomainMaxActive);                      // 0 = unlimited, set by gmail, not cascading further
        Assert.Equal("gmail", warm.SourceOf(ThrottleLimit.DomainMaxActive));
        Assert.Equal(4, warm.IpMaxActive);
        Assert.Equal("base", warm.SourceOf(ThrottleLimit.IpMaxActive));
        Assert.Equal(ThrottleDefaults.ConnectionMaxMessages, warm.ConnectionMaxMessages);
        Assert.Null(warm.SourceOf(ThrottleLimit.ConnectionMaxMessages));

        var plain = s.ResolveThrottle("192.0.2.1", "gmail.com");
        Assert.Equal(60, plain.DomainMessagesPerMinute);
        var elsewhere = s.ResolveThrottle("192.0.2.1", "example.com");
        Assert.Equal(1000, elsewhere.DomainMessagesPerMinute);
        Assert.Equal(10, elsewhere.DomainMaxActive);
        Assert.Equal(1, s.ResolveThrottle("192.0.2.99", "example.com").DomainMessagesPerMinute);
        Assert.Same(plain, s.ResolveThrottle("192.0.2.1", "GMAIL.COM"));
    }

    [Theory]
    [InlineData("postmaster@example.com", "exact", "POSTMASTER@example.com", true)]
    [InlineData("postmaster@example.com", "exact", "postmaster@example.org", false)]
    [InlineData("@local.test", "substr", "anyone@LOCAL.test", true)]
    [InlineData("@local.test", "substr", "anyone@example.test", false)]
    [InlineData("*@local.??", "fnmatch", "a@local.nl", true)]
    [InlineData("*@local.??", "fnmatch", "a@local.com", false)]
    [InlineData("[abc]*@x.test", "fnmatch", "bob@x.test", true)]
    [InlineData("[!abc]*@x.test", "fnmatch", "bob@x.test", false)]
    [InlineData(@"^bounce-\d+@x\.test$", "regex", "bounce-42@x.test", true)]
    [InlineData(@"^bounce-\d+@x\.test$", "regex", "bounce-x@x.test", false)]
    [InlineData("([", "regex", "([", false)]
    public void Local_address_patterns_match_by_type(string pattern, string typeName, string address, bool expected)
    {
        Assert.True(PatternTypes.TryParse(typeName, out var type));
        var s = Snapshot(new SettingsData { Locals = [new LocalAddress(1, pattern, type)] });
        Assert.Equal(expected, s.IsLocal(address));
    }

    [Fact]
    public void Dkim_keys_without_patterns_sign_their_own_domain_and_patterns_widen_that()
    {
        var now = _time.GetUtcNow();
        var own = new DkimKey { Id = 1, Domain = "example.com", Selector = "a", PrivateKeyPem = "k", Priority = 5 };
        var wide = new DkimKey { Id = 2, Domain = "esp.test", Selector = "b", PrivateKeyPem = "k", Priority = 1, Patterns = [new DkimPattern(1, 2, "*.example.com", PatternType.Fnmatch)] };
        var global = new DkimKey { Id = 3, Domain = "esp.test", Selector = "c", PrivateKeyPem = "k", Priority = 9, Patterns = [new DkimPattern(2, 3, "", PatternType.Global)] };
        var expired = new DkimKey { Id = 4, Domain = "example.com", Selector = "old", PrivateKeyPem = "k", Expire = now.AddSeconds(-1) };
        var s = Snapshot(new SettingsData { DkimKeys = [own, wide, global, expired] });

        Assert.Equal(["a", "c"], s.DkimKeysFor("EXAMPLE.com", now).Select(k => k.Selector));
        Assert.Equal(["b", "c"], s.DkimKeysFor("news.example.com", now).Select(k => k.Selector));
        Assert.Equal(["c"], s.DkimKeysFor("other.test", now).Select(k => k.Selector));
        Assert.Empty(Snapshot(new SettingsData { DkimKeys = [own] }).DkimKeysFor("other.test", now));
    }

    [Fact]
    public void An_expiring_dkim_key_stops_signing_at_its_expiry()
    {
        var key = new DkimKey { Id = 1, Domain = "example.com", Selector = "a", PrivateKeyPem = "k", Expire = _time.GetUtcNow().AddDays(1) };
        var s = Snapshot(new SettingsData { DkimKeys = [key] });
        Assert.Single(s.DkimKeysFor("example.com", _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromDays(1));
        Assert.Empty(s.DkimKeysFor("example.com", _time.GetUtcNow()));
    }

    [Fact]
    public void Tokens_verify_by_their_hash_only()
    {
        var s = Snapshot(new SettingsData { Tokens = [new ApiToken("a", System.Security.Cryptography.SHA256.HashData("t1"u8), default), new ApiToken("b", System.Security.Cryptography.SHA256.HashData("t2"u8), default)] });
        Assert.True(s.TryVerifyToken("t2"u8, out var name));
        Assert.Equal("b", name);
        Assert.False(s.TryVerifyToken("t3"u8, out _));
        Assert.False(s.TryVerifyToken(""u8, out _));
    }

    [Fact]
    public void Pools_dns_overrides_and_mta_names_answer_lookups()
    {
        var s = Snapshot(new SettingsData
        {
            Pools = [.. Pools, new IpPool("empty", null)],
            PoolIps = PoolIps,
            DnsOverrides = [new DnsOverride("example.com", ["127.0.0.1"])],
            MtaNames = [new MtaName("192.0.2.10", "out.example.com")],
        });
        Assert.Equal(["192.0.2.10", "192.0.2.11"], s.PoolIps("warm"));
        Assert.Empty(s.PoolIps("empty"));
        Assert.Empty(s.PoolIps("unknown"));
        Assert.Null(s.PoolOf("192.0.2.1"));
        Assert.Equal(["127.0.0.1"], s.DnsOverride("EXAMPLE.com"));
        Assert.Null(s.DnsOverride("example.org"));
        Assert.Equal("out.example.com", s.MtaName("192.0.2.10"));
        Assert.Null(s.MtaName("192.0.2.11"));
    }
}
