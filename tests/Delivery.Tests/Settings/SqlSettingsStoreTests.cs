using MailerQ.Www.Core.Settings;
using MailerQ.Www.Smtp.Settings;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace MailerQ.Www.Delivery.Tests.Settings;

/// <summary>The SQLite store: migrations, every table's round trip through <see cref="SqlSettingsStore.LoadAsync"/>, audit, conflicts.</summary>
public sealed class SqlSettingsStoreTests : IDisposable
{
    private readonly TempDatabase _db = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Migrations_create_the_file_and_are_idempotent_on_restart()
    {
        await using (var store = await _db.OpenAsync(_time))
        {
            Assert.True(File.Exists(_db.File));
            Assert.Equal([1, 2, 3], await store.SchemaVersionsAsync());
            await store.AddPoolAsync(new IpPool("warm", "warming up"), "alice");
        }
        SqliteConnection.ClearAllPools();
        await using (var again = await _db.OpenAsync(_time))
        {
            Assert.Equal([1, 2, 3], await again.SchemaVersionsAsync());
            var snapshot = await again.LoadAsync();
            Assert.Equal(new IpPool("warm", "warming up"), Assert.Single(snapshot.Data.Pools));
        }
    }

    [Fact]
    public async Task A_database_newer_than_the_program_is_refused()
    {
        await using (var store = await _db.OpenAsync(_time)) { }
        await using (var c = new SqliteConnection($"Data Source={_db.File}"))
        {
            await c.OpenAsync();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO schema_version (version, applied) VALUES (999, 0)";
            await cmd.ExecuteNonQueryAsync();
        }
        SqliteConnection.ClearAllPools();
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => _db.OpenAsync(_time));
        Assert.Contains("999", ex.Message);
    }

    [Fact]
    public async Task Throttles_round_trip_with_patterns_and_unset_limits()
    {
        await using var store = await _db.OpenAsync(_time);
        var added = await store.AddThrottleAsync(new Throttle
        {
            Name = "gmail",
            Priority = 5,
            Patterns = [new("*", "gmail.com"), new("warm", "googlemail.com")],
            Limits = new ThrottleLimits { DomainMessagesPerMinute = 600, DomainMaxActive = 0, ConnectionIdleSeconds = 30 },
        }, "alice");
        Assert.True(added.Id > 0);

        var loaded = Assert.Single((await store.LoadAsync()).Throttles);
        Assert.Equal("gmail", loaded.Name);
        Assert.Equal(5, loaded.Priority);
        Assert.Equal([new ThrottlePattern("*", "gmail.com"), new ThrottlePattern("warm", "googlemail.com")], loaded.Patterns);
        Assert.Equal(600, loaded.Limits.DomainMessagesPerMinute);
        Assert.Equal(0, loaded.Limits.DomainMaxActive);
        Assert.Equal(30, loaded.Limits.ConnectionIdleSeconds);
        Assert.Null(loaded.Limits.IpMaxActive);

        Assert.True(await store.UpdateThrottleAsync(added with { Name = "gmail2", Patterns = [new("", "gmail.com")], Limits = new ThrottleLimits { IpMaxIdle = 2 } }, "bob"));
        loaded = Assert.Single((await store.LoadAsync()).Throttles);
        Assert.Equal("gmail2", loaded.Name);
        Assert.Equal([new ThrottlePattern("", "gmail.com")], loaded.Patterns);
        Assert.Null(loaded.Limits.DomainMessagesPerMinute);
        Assert.Equal(2, loaded.Limits.IpMaxIdle);

        Assert.False(await store.UpdateThrottleAsync(added with { Id = 999 }, "bob"));
        Assert.True(await store.DeleteThrottleAsync(added.Id, "bob"));
        Assert.False(await store.DeleteThrottleAsync(added.Id, "bob"));
        Assert.Empty((await store.LoadAsync()).Throttles);
    }

    [Fact]
    public async Task Pauses_upsert_by_selection_and_delete_by_the_same_fields()
    {
        await using var store = await _db.OpenAsync(_time);
        var expire = _time.GetUtcNow().AddHours(1);
        var first = await store.AddPauseAsync(new Pause { Domain = "example.com", Tag = "news" }, "alice");
        var again = await store.AddPauseAsync(new Pause { Domain = "example.com", Tag = "news", Expire = expire, Cluster = true }, "alice");
        Assert.Equal(first.Id, again.Id);
        await store.AddPauseAsync(new Pause { Mta = "192.0.2.1", Ip = "198.51.100.7" }, "bob");

        var pauses = (await store.LoadAsync()).Data.Pauses;
        Assert.Equal(2, pauses.Count);
        var p = pauses[0];
        Assert.Equal(("example.com", "news", true, expire, "alice"), (p.Domain, p.Tag, p.Cluster, p.Expire, p.CreatedBy));
        Assert.Null(p.Mta);
        Assert.Equal(_time.GetUtcNow(), p.Created);

        Assert.Equal(0, await store.DeletePausesAsync(new Pause { Domain = "example.com" }, "alice"));
        Assert.Equal(1, await store.DeletePausesAsync(new Pause { Domain = "example.com", Tag = "news" }, "alice"));
        Assert.Equal("198.51.100.7", Assert.Single((await store.LoadAsync()).Data.Pauses).Ip);
    }

    [Fact]
    public async Task Forced_errors_and_suppressions_round_trip()
    {
        await using var store = await _db.OpenAsync(_time);
        await store.AddForcedErrorAsync(new ForcedError { Code = 451, Extended = "4.7.1", Description = "slow down", Pool = "warm", Domain = "example.com" }, "alice");
        await store.AddForcedErrorAsync(new ForcedError { Code = 550, Extended = "5.7.1", Description = "go away", Pool = "warm", Domain = "example.com" }, "alice");
        var error = Assert.Single((await store.LoadAsync()).Data.ForcedErrors);
        Assert.Equal((550, "5.7.1", "go away", "warm", "example.com"), (error.Code, error.Extended, error.Description, error.Pool, error.Domain));
        Assert.Equal(1, await store.DeleteForcedErrorsAsync(new ForcedError { Pool = "warm", Domain = "example.com" }, "alice"));

        await store.AddSuppressionAsync(new Suppression { Type = SuppressionType.Address, Value = "bounce@example.com", Code = 550 }, "alice");
        await store.AddSuppressionAsync(new Suppression { Type = SuppressionType.Domain, Value = "spamtrap.example", Description = "trap" }, "alice");
        await store.AddSuppressionAsync(new Suppression { Type = SuppressionType.Address, Value = "bounce@example.com", Code = 551, Extended = "5.1.1" }, "alice");
        var snapshot = await store.LoadAsync();
        Assert.Equal(2, snapshot.Data.Suppressions.Count);
        Assert.Equal(551, snapshot.FindSuppression("Bounce@Example.com")!.Code);
        Assert.True(await store.DeleteSuppressionAsync("bounce@example.com", "alice"));
        Assert.False(await store.DeleteSuppressionAsync("bounce@example.com", "alice"));
    }

    [Fact]
    public async Task Pools_keep_an_ip_in_one_pool_and_take_their_ips_along_when_deleted()
    {
        await using var store = await _db.OpenAsync(_time);
        await store.AddPoolAsync(new IpPool("a", null), "alice");
        await store.AddPoolAsync(new IpPool("b", "second"), "alice");
        await store.AddPoolIpAsync(new PoolIp("192.0.2.1", "a"), "alice");
        await store.AddPoolIpAsync(new PoolIp("192.0.2.1", "a"), "alice");
        await store.AddPoolIpAsync(new PoolIp("192.0.2.2", "a"), "alice");
        var taken = await Assert.ThrowsAsync<SettingsConflictException>(async () => await store.AddPoolIpAsync(new PoolIp("192.0.2.1", "b"), "alice"));
        Assert.Contains("already in pool a", taken.Message);
        await Assert.ThrowsAsync<SettingsConflictException>(async () => await store.AddPoolIpAsync(new PoolIp("192.0.2.9", "nope"), "alice"));

        var snapshot = await store.LoadAsync();
        Assert.Equal(["192.0.2.1", "192.0.2.2"], snapshot.PoolIps("a"));
        Assert.Equal("a", snapshot.PoolOf("192.0.2.2"));
        Assert.True(await store.DeletePoolIpAsync(new PoolIp("192.0.2.2", ""), "alice"));
        Assert.True(await store.DeletePoolAsync("a", "alice"));
        snapshot = await store.LoadAsync();
        Assert.Empty(snapshot.PoolIps("a"));
        Assert.Null(snapshot.PoolOf("192.0.2.1"));
        Assert.Equal(new IpPool("b", "second"), Assert.Single(snapshot.Data.Pools));
    }

    [Fact]
    public async Task Mta_display_names_round_trip_apart_from_the_ehlo_names()
    {
        await using var store = await _db.OpenAsync(_time);
        await store.SetMtaNameAsync(new MtaName("192.0.2.1", "out1.example.com"), "alice");
        await store.SetMtaLabelAsync(new MtaLabel("192.0.2.1", "Warm-up IP"), "alice");
        await store.SetMtaLabelAsync(new MtaLabel("192.0.2.1", "Main IP"), "bob"); // replaces

        var s = await store.LoadAsync();
        Assert.Equal("Main IP", s.MtaLabel("192.0.2.1"));
        Assert.Equal("out1.example.com", s.MtaName("192.0.2.1"));
        Assert.Equal(new MtaLabel("192.0.2.1", "Main IP"), Assert.Single(s.Data.MtaLabels));

        Assert.True(await store.DeleteMtaLabelAsync("192.0.2.1", "bob"));
        Assert.False(await store.DeleteMtaLabelAsync("192.0.2.1", "bob"));
        s = await store.LoadAsync();
        Assert.Null(s.MtaLabel("192.0.2.1"));
        Assert.Equal("out1.example.com", s.MtaName("192.0.2.1"));
        Assert.Contains(await store.ReadAuditAsync(10), e => e.Target == "mtalabel" && e.User == "bob" && e.Action == "set");
    }

    [Fact]
    public async Task Updating_a_dkim_key_replaces_headers_expiry_priority_and_patterns_and_keeps_the_key()
    {
        await using var store = await _db.OpenAsync(_time);
        var key = await store.AddDkimKeyAsync(new DkimKey
        {
            Domain = "example.com", Selector = "s1", Algorithm = DkimKey.Ed25519Sha256, PrivateKeyPem = "PEM", Headers = ["Reply-To"], Priority = 3,
        }, "alice");
        await store.AddDkimPatternAsync(key.Id, "*.example.com", PatternType.Fnmatch, "alice");
        var expire = _time.GetUtcNow().AddDays(10);

        var updated = await store.UpdateDkimKeyAsync(key with
        {
            Headers = ["List-Unsubscribe"], Expire = expire, Priority = -2,
            Patterns = [new DkimPattern(0, key.Id, "news.example.com", PatternType.Exact), new DkimPattern(0, key.Id, "", PatternType.Global)],
        }, "bob");

        Assert.NotNull(updated);
        var k = Assert.Single((await store.LoadAsync()).Data.DkimKeys);
        Assert.Equal((key.Id, "example.com", "s1", DkimKey.Ed25519Sha256, "PEM"), (k.Id, k.Domain, k.Selector, k.Algorithm, k.PrivateKeyPem));
        Assert.Equal((-2, expire.ToUnixTimeSeconds()), (k.Priority, k.Expire!.Value.ToUnixTimeSeconds()));
        Assert.Equal(["List-Unsubscribe"], k.Headers);
        Assert.Equal(updated.Patterns, k.Patterns);
        Assert.Equal(["news.example.com", ""], k.Patterns.Select(p => p.Pattern));

        // Clearing: no extra headers, never expires.
        await store.UpdateDkimKeyAsync(k with { Headers = [], Expire = null, Patterns = [] }, "bob");
        k = Assert.Single((await store.LoadAsync()).Data.DkimKeys);
        Assert.Equal(([], null, 0), (k.Headers.ToArray(), k.Expire, k.Patterns.Count));

        Assert.Null(await store.UpdateDkimKeyAsync(k with { Id = k.Id + 100 }, "bob"));
        var audit = await store.ReadAuditAsync(10);
        Assert.Equal(("bob", "update", "dkim"), (audit[0].User, audit[0].Action, audit[0].Target));
        Assert.Contains(audit, e => e.Detail!.StartsWith("example.com s1 priority=-2 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Locals_dkim_dns_mtanames_and_tokens_round_trip()
    {
        await using var store = await _db.OpenAsync(_time);
        var local = await store.AddLocalAsync("postmaster@*", PatternType.Fnmatch, "alice");
        var key = await store.AddDkimKeyAsync(new DkimKey
        {
            Domain = "example.com", Selector = "s1", Algorithm = DkimKey.Ed25519Sha256, PrivateKeyPem = "PEM",
            Headers = ["List-Unsubscribe", "Reply-To"], Expire = _time.GetUtcNow().AddDays(30), Priority = 3,
        }, "alice");
        await Assert.ThrowsAsync<SettingsConflictException>(async () => await store.AddDkimKeyAsync(key with { Id = 0 }, "alice"));
        var pattern = await store.AddDkimPatternAsync(key.Id, "*.example.com", PatternType.Fnmatch, "alice");
        await store.SetDnsOverrideAsync(new DnsOverride("example.com", ["127.0.0.1", "mx.test"]), "alice");
        await store.SetMtaNameAsync(new MtaName("192.0.2.1", "out1.example.com"), "alice");
        var hash = System.Security.Cryptography.SHA256.HashData("secret"u8);
        await store.AddTokenAsync(new ApiToken("ci", hash, _time.GetUtcNow()), "alice");
        await Assert.ThrowsAsync<SettingsConflictException>(async () => await store.AddTokenAsync(new ApiToken("ci", hash, _time.GetUtcNow()), "alice"));

        var s = await store.LoadAsync();
        Assert.Equal(local, Assert.Single(s.Data.Locals));
        var k = Assert.Single(s.Data.DkimKeys);
        Assert.Equal(("example.com", "s1", DkimKey.Ed25519Sha256, "PEM", 3), (k.Domain, k.Selector, k.Algorithm, k.PrivateKeyPem, k.Priority));
        Assert.Equal(["List-Unsubscribe", "Reply-To"], k.Headers);
        Assert.Equal(pattern, Assert.Single(k.Patterns));
        Assert.Equal(["127.0.0.1", "mx.test"], s.DnsOverride("Example.COM"));
        Assert.Equal("out1.example.com", s.MtaName("192.0.2.1"));
        Assert.True(s.TryVerifyToken("secret"u8, out var name));
        Assert.Equal("ci", name);

        Assert.True(await store.DeleteDkimPatternAsync(pattern.Id, "alice"));
        Assert.True(await store.DeleteDkimKeyAsync("example.com", "s1", "alice"));
        Assert.True(await store.DeleteLocalAsync(local.Id, "alice"));
        Assert.True(await store.DeleteDnsOverrideAsync("example.com", "alice"));
        Assert.True(await store.DeleteMtaNameAsync("192.0.2.1", "alice"));
        Assert.True(await store.DeleteTokenAsync("ci", "alice"));
        s = await store.LoadAsync();
        Assert.Empty(s.Data.DkimKeys);
        Assert.Empty(s.Data.Locals);
        Assert.Null(s.DnsOverride("example.com"));
        Assert.False(s.TryVerifyToken("secret"u8, out _));
    }

    [Fact]
    public async Task Every_write_is_audited_with_user_and_time()
    {
        await using var store = await _db.OpenAsync(_time);
        await store.AddPoolAsync(new IpPool("warm", null), "alice");
        _time.Advance(TimeSpan.FromMinutes(1));
        await store.DeletePoolAsync("warm", "bob");
        var audit = await store.ReadAuditAsync(10);
        Assert.Equal(2, audit.Count);
        Assert.Equal(("bob", "delete", "pool", "warm"), (audit[0].User, audit[0].Action, audit[0].Target, audit[0].Detail));
        Assert.Equal(_time.GetUtcNow(), audit[0].Time);
        Assert.Equal(("alice", "create"), (audit[1].User, audit[1].Action));
    }

    [Fact]
    public async Task Each_load_has_a_higher_version()
    {
        await using var store = await _db.OpenAsync(_time);
        var a = await store.LoadAsync();
        var b = await store.LoadAsync();
        Assert.True(b.Version > a.Version);
    }
}
