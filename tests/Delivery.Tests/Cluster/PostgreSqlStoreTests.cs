using MailerQ.Www.Core.Settings;
using MailerQ.Www.Smtp.Settings;

namespace MailerQ.Www.Delivery.Tests.Cluster;

/// <summary>The settings store on a real PostgreSQL: the same migrations and SQL as SQLite, concurrent starts, schema upkeep.</summary>
public sealed class PostgreSqlStoreTests(PostgreSqlFixture fixture) : IClassFixture<PostgreSqlFixture>
{
    private static DatabaseAddress Parse(string url)
    {
        Assert.True(DatabaseAddress.TryParse(url, "/", out var address, out var error), error);
        return address;
    }

    [Fact]
    public async Task Every_table_round_trips_through_postgresql()
    {
        var address = Parse(await fixture.Server.CreateDatabaseAsync());
        await using var store = await SettingsStoreFactory.OpenAsync(address);
        Assert.Equal([1, 2, 3], await store.SchemaVersionsAsync());

        var throttle = await store.AddThrottleAsync(new Throttle
        {
            Name = "gmail",
            Priority = 5,
            Patterns = [new ThrottlePattern("*", "gmail.com")],
            Limits = new ThrottleLimits { DomainMessagesPerMinute = 100, ConnectionMaxMessages = 0 },
        }, "alice");
        await store.AddPauseAsync(new Pause { Domain = "paused.example", Cluster = true, Expire = DateTimeOffset.FromUnixTimeSeconds(2_000_000_000) }, "alice");
        await store.AddForcedErrorAsync(new ForcedError { Code = 451, Extended = "4.3.2", Description = "try later", Domain = "err.example" }, "alice");
        await store.AddSuppressionAsync(new Suppression { Type = SuppressionType.Domain, Value = "gone.example", Code = 550 }, "alice");
        await store.AddPoolAsync(new IpPool("warm", "warming"), "alice");
        await store.AddPoolIpAsync(new PoolIp("192.0.2.1", "warm"), "alice");
        await store.AddLocalAsync("*@local.example", PatternType.Fnmatch, "alice");
        var key = await store.AddDkimKeyAsync(new DkimKey { Domain = "example.org", Selector = "s1", Algorithm = "rsa-sha256", PrivateKeyPem = "PEM", Headers = ["from", "to"] }, "alice");
        await store.AddDkimPatternAsync(key.Id, "example.org", PatternType.Exact, "alice");
        await store.SetDnsOverrideAsync(new DnsOverride("example.net", ["mx1.example.net", "mx2.example.net"]), "alice");
        await store.SetMtaNameAsync(new MtaName("192.0.2.1", "mta1.example.org"), "alice");
        await store.AddTokenAsync(new ApiToken("ci", new byte[32], DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)), "alice");

        var snapshot = await store.LoadAsync();
        var t = Assert.Single(snapshot.Throttles);
        Assert.Equal(throttle.Id, t.Id);
        Assert.Equal(100, t.Limits.DomainMessagesPerMinute);
        Assert.Equal(0, t.Limits.ConnectionMaxMessages);
        Assert.Null(t.Limits.DomainMaxActive);
        Assert.Equal("gmail.com", Assert.Single(t.Patterns).Domain);
        Assert.NotNull(snapshot.FindPause("192.0.2.9", "paused.example", null, [], DateTimeOffset.FromUnixTimeSeconds(1_900_000_000)));
        Assert.Equal(451, snapshot.FindForcedError("192.0.2.9", "err.example", null, [])!.Code);
        Assert.NotNull(snapshot.FindSuppression("x@gone.example"));
        Assert.Equal("warm", snapshot.PoolOf("192.0.2.1"));
        Assert.True(snapshot.IsLocal("bob@local.example"));
        Assert.Equal(["from", "to"], Assert.Single(snapshot.DkimKeysFor("example.org", DateTimeOffset.UnixEpoch)).Headers);
        Assert.Equal(["mx1.example.net", "mx2.example.net"], snapshot.DnsOverride("example.net"));
        Assert.Equal("mta1.example.org", snapshot.MtaName("192.0.2.1"));
        Assert.Equal("ci", Assert.Single(snapshot.Data.Tokens).Name);
        Assert.Equal(12, (await store.ReadAuditAsync(100)).Count);
        Assert.True(await store.DeleteThrottleAsync(throttle.Id, "alice"));
        Assert.Empty((await store.LoadAsync()).Throttles);
    }

    [Fact]
    public async Task A_dkim_key_is_updated_in_postgresql()
    {
        var address = Parse(await fixture.Server.CreateDatabaseAsync());
        await using var store = await SettingsStoreFactory.OpenAsync(address);
        var key = await store.AddDkimKeyAsync(new DkimKey { Domain = "example.org", Selector = "s1", Algorithm = "rsa-sha256", PrivateKeyPem = "PEM" }, "alice");
        await store.AddDkimPatternAsync(key.Id, "example.org", PatternType.Exact, "alice");
        var expire = DateTimeOffset.FromUnixTimeSeconds(2_000_000_000);

        var updated = await store.UpdateDkimKeyAsync(key with
        {
            Headers = ["List-Id"], Expire = expire, Priority = 7, Patterns = [new DkimPattern(0, key.Id, "*.example.org", PatternType.Fnmatch)],
        }, "bob");

        var k = Assert.Single((await store.LoadAsync()).Data.DkimKeys);
        Assert.Equal((key.Id, "PEM", 7, expire, "List-Id"), (k.Id, k.PrivateKeyPem, k.Priority, k.Expire, Assert.Single(k.Headers)));
        Assert.Equal(updated!.Patterns, k.Patterns);
        Assert.Equal("*.example.org", Assert.Single(k.Patterns).Pattern);
        Assert.Null(await store.UpdateDkimKeyAsync(key with { Id = key.Id + 1 }, "bob"));
    }

    [Fact]
    public async Task Three_instances_starting_at_once_on_an_empty_database_migrate_it_once()
    {
        var address = Parse(await fixture.Server.CreateDatabaseAsync());
        var opening = Enumerable.Range(0, 3).Select(_ => Task.Run(() => SettingsStoreFactory.OpenAsync(address))).ToArray();
        var stores = await Task.WhenAll(opening);
        try
        {
            foreach (var store in stores)
                Assert.Equal([1, 2, 3], await store.SchemaVersionsAsync());
            Assert.Equal(3, await stores[0].CountAsync("schema_version"));
        }
        finally
        {
            foreach (var store in stores) await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task Pauses_and_errors_without_cluster_apply_only_on_the_instance_that_made_them()
    {
        var address = Parse(await fixture.Server.CreateDatabaseAsync());
        await using var a = await SettingsStoreFactory.OpenAsync(address);
        await using var b = await SettingsStoreFactory.OpenAsync(address);
        a.InstanceId = "http://a.example:8485";
        b.InstanceId = "http://b.example:8485";
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

        var local = await a.AddPauseAsync(new Pause { Domain = "local.example" }, "alice");
        Assert.Equal("http://a.example:8485", local.Instance);
        await b.AddPauseAsync(new Pause { Domain = "everywhere.example", Cluster = true }, "bob");
        await a.AddForcedErrorAsync(new ForcedError { Code = 550, Domain = "err.example" }, "alice");

        var onA = await a.LoadAsync();
        var onB = await b.LoadAsync();
        Assert.NotNull(onA.FindPause("192.0.2.1", "local.example", null, [], now));
        Assert.Null(onB.FindPause("192.0.2.1", "local.example", null, [], now));
        Assert.NotNull(onA.FindPause("192.0.2.1", "everywhere.example", null, [], now));
        Assert.NotNull(onB.FindPause("192.0.2.1", "everywhere.example", null, [], now));
        Assert.NotNull(onA.FindForcedError("192.0.2.1", "err.example", null, []));
        Assert.Null(onB.FindForcedError("192.0.2.1", "err.example", null, []));
        Assert.Equal(2, onA.ActivePauseCount(now));
        Assert.Equal(1, onB.ActivePauseCount(now));

        // B sees neither A's local pause nor its error: deleting the same selection there removes nothing of A's.
        Assert.Equal(0, await b.DeletePausesAsync(new Pause { Domain = "local.example" }, "bob"));
        Assert.Equal(0, await b.DeleteForcedErrorsAsync(new ForcedError { Domain = "err.example" }, "bob"));
        // The same selection made on B is B's own row, not an update of A's.
        await b.AddPauseAsync(new Pause { Domain = "local.example" }, "bob");
        Assert.Equal(3, (await a.LoadAsync()).Data.Pauses.Count);
        Assert.Equal(1, await a.DeletePausesAsync(new Pause { Domain = "local.example" }, "alice"));
        // The cluster-wide pause is everybody's to lift.
        Assert.Equal(1, await a.DeletePausesAsync(new Pause { Domain = "everywhere.example" }, "alice"));
        Assert.Null((await b.LoadAsync()).FindPause("192.0.2.1", "everywhere.example", null, [], now));
    }

    [Fact]
    public async Task A_damaged_schema_stops_the_start_until_repair_database_puts_it_back()
    {
        var url = await fixture.Server.CreateDatabaseAsync();
        var address = Parse(url);
        await using (var store = await SettingsStoreFactory.OpenAsync(address))
            await store.AddPauseAsync(new Pause { Domain = "kept.example" }, "alice");
        string db = url[(url.LastIndexOf('/') + 1)..];
        await fixture.Server.PsqlAsync(db, "ALTER TABLE paused DROP COLUMN instance; DROP TABLE dns");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => SettingsStoreFactory.OpenAsync(address));
        Assert.Contains("table dns is missing", refused.Message);
        Assert.Contains("table paused has no column instance", refused.Message);
        Assert.Contains("--repair-database", refused.Message);

        await using (var repaired = await SettingsStoreFactory.OpenAsync(address, new DatabaseStartup(Repair: true)))
        {
            Assert.Empty(await repaired.CheckSchemaAsync(repair: false));
            var snapshot = await repaired.LoadAsync();
            Assert.Equal("kept.example", Assert.Single(snapshot.Data.Pauses).Domain);
            await repaired.SetDnsOverrideAsync(new DnsOverride("x.example", ["mx.x.example"]), "alice");
        }
    }

    [Fact]
    public async Task Purge_database_drops_every_table_and_starts_empty()
    {
        var address = Parse(await fixture.Server.CreateDatabaseAsync());
        await using (var store = await SettingsStoreFactory.OpenAsync(address))
        {
            await store.AddPoolAsync(new IpPool("warm", null), "alice");
            await store.ClusterKeyAsync("switch");
        }
        await using var purged = await SettingsStoreFactory.OpenAsync(address, new DatabaseStartup(Purge: true));
        Assert.Equal([1, 2, 3], await purged.SchemaVersionsAsync());
        Assert.Empty((await purged.LoadAsync()).Data.Pools);
        Assert.Equal(0, await purged.CountAsync("cluster_keys"));
        Assert.Equal(0, await purged.CountAsync("audit"));
    }

    [Fact]
    public async Task The_cluster_key_is_shared_and_a_nonce_is_usable_once()
    {
        var address = Parse(await fixture.Server.CreateDatabaseAsync());
        await using var a = await SettingsStoreFactory.OpenAsync(address);
        await using var b = await SettingsStoreFactory.OpenAsync(address);
        var keys = await Task.WhenAll(a.ClusterKeyAsync("switch"), b.ClusterKeyAsync("switch"));
        Assert.Equal(32, keys[0].Length);
        Assert.Equal(keys[0], keys[1]);
        Assert.NotEqual(keys[0], await a.ClusterKeyAsync("other"));

        var expire = DateTimeOffset.UtcNow.AddSeconds(30);
        Assert.True(await a.TryUseOnceAsync("nonce-1", expire));
        Assert.False(await b.TryUseOnceAsync("nonce-1", expire));
        Assert.True(await b.TryUseOnceAsync("nonce-2", expire));
    }

    [Fact]
    public async Task Ping_fails_while_the_server_is_down_and_works_again_after()
    {
        // A server of its own: stopping the shared one would break the other tests of this class.
        await using var own = await PostgreSqlServer.StartAsync();
        var address = Parse(await own.CreateDatabaseAsync());
        await using var store = await SettingsStoreFactory.OpenAsync(address);
        await store.PingAsync();
        await own.StopServerAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => store.PingAsync());
        await own.StartServerAsync();
        await store.PingAsync();
        Assert.Empty((await store.LoadAsync()).Data.Pools);
    }
}
