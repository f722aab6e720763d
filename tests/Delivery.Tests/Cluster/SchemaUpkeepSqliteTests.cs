using MailerQ.Www.Core.Settings;
using MailerQ.Www.Delivery.Tests.Settings;
using MailerQ.Www.Smtp.Settings;

namespace MailerQ.Www.Delivery.Tests.Cluster;

/// <summary>database-validate, --repair-database and --purge-database on the embedded SQLite database.</summary>
public sealed class SchemaUpkeepSqliteTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private DatabaseAddress Address => new() { Kind = DatabaseKind.Sqlite, Path = _db.File };

    [Fact]
    public async Task A_missing_column_is_refused_then_repaired_and_purge_empties_the_tables()
    {
        await using (var store = await SettingsStoreFactory.OpenAsync(Address))
        {
            await store.AddPoolAsync(new IpPool("warm", null), "alice");
            await store.ExecuteRawAsync("ALTER TABLE errors DROP COLUMN instance");
        }
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => SettingsStoreFactory.OpenAsync(Address));
        Assert.Contains("table errors has no column instance", refused.Message);

        // Validation off: the start goes on with the damage (MailerQ's database-validate: false).
        await using (var unchecked_ = await SettingsStoreFactory.OpenAsync(Address, new DatabaseStartup(Validate: false))) { }

        await using (var repaired = await SettingsStoreFactory.OpenAsync(Address, new DatabaseStartup(Repair: true)))
        {
            Assert.Empty(await repaired.CheckSchemaAsync(repair: false));
            Assert.Single((await repaired.LoadAsync()).Data.Pools);
        }
        await using var purged = await SettingsStoreFactory.OpenAsync(Address, new DatabaseStartup(Purge: true));
        Assert.Empty((await purged.LoadAsync()).Data.Pools);
        Assert.Equal([1, 2, 3], await purged.SchemaVersionsAsync());
    }

    [Fact]
    public void The_schema_reference_follows_the_migrations()
    {
        var reference = SchemaReference.Current;
        Assert.Contains("instance", reference.Tables["paused"].Select(c => c.Name));
        Assert.Contains("cluster_keys", reference.Tables.Keys);
        Assert.Null(reference.Tables["paused"].Single(c => c.Name == "id").AddColumnSql("paused"));
        Assert.Equal("ALTER TABLE paused ADD COLUMN cluster INTEGER NOT NULL DEFAULT 0",
            reference.Tables["paused"].Single(c => c.Name == "cluster").AddColumnSql("paused"));
    }
}
