using MailerQ.Www.Core.Settings;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace MailerQ.Www.Smtp.Settings;

/// <summary>
/// Opens the store <c>database-address</c> names and brings its schema up to date first: SQLite for one machine,
/// PostgreSQL for a cluster (5.13/database-access.md), both through the same <see cref="SqlSettingsStore"/>.
/// </summary>
internal static class SettingsStoreFactory
{
    /// <summary>Seconds to wait for a PostgreSQL connection: a lost database must fail writes quickly, not hang them.</summary>
    public const int PostgreSqlConnectTimeoutSeconds = 5;

    /// <summary>Seconds a PostgreSQL statement may run (the migration lock waits count too).</summary>
    public const int PostgreSqlCommandTimeoutSeconds = 30;

    /// <summary>
    /// Opens and migrates. <see cref="DatabaseStartup.Purge"/> drops the tables first; <see cref="DatabaseStartup.Validate"/>
    /// and <see cref="DatabaseStartup.Repair"/> check (and repair) the schema afterwards. Throws the provider's exception
    /// for a database that cannot be opened or migrated, and <see cref="InvalidOperationException"/> for a damaged schema.
    /// </summary>
    public static async Task<SqlSettingsStore> OpenAsync(DatabaseAddress address, TimeProvider? time = null, CancellationToken cancellationToken = default) =>
        await OpenAsync(address, DatabaseStartup.Default, time, cancellationToken).ConfigureAwait(false);

    public static async Task<SqlSettingsStore> OpenAsync(DatabaseAddress address, DatabaseStartup startup, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(startup);
        var store = address.Kind == DatabaseKind.PostgreSql ? OpenPostgreSql(address, time) : OpenSqlite(address.Path!, time);
        try
        {
            if (startup.Purge) await store.PurgeAsync(cancellationToken).ConfigureAwait(false);
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            if (startup.Validate || startup.Repair)
            {
                var problems = await store.CheckSchemaAsync(startup.Repair, cancellationToken).ConfigureAwait(false);
                if (problems.Count > 0)
                    throw new InvalidOperationException("the schema is damaged (" + string.Join("; ", problems) + "); start once with --repair-database");
            }
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A SQLite store on <paramref name="path"/>; the file and its folder are created when missing (MailerQ: "file auto-created").</summary>
    public static SqlSettingsStore OpenSqlite(string path, TimeProvider? time = null)
    {
        var folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // Seconds a statement waits for another writer's lock (another process on the same file).
            DefaultTimeout = 10,
        }.ToString();
        return new SqlSettingsStore(() => new SqliteConnection(connectionString), SqlDialect.Sqlite, time);
    }

    /// <summary>
    /// A PostgreSQL store (Npgsql, pooled). Nothing connects yet: the first statement does. The slim builder keeps the
    /// NativeAOT binary free of the type mappings plain SQL does not need.
    /// </summary>
    public static SqlSettingsStore OpenPostgreSql(DatabaseAddress address, TimeProvider? time = null)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = address.Host,
            Port = address.Port,
            Username = address.User,
            Password = address.Password,
            Database = address.Database,
            Timeout = PostgreSqlConnectTimeoutSeconds,
            CommandTimeout = PostgreSqlCommandTimeoutSeconds,
            ApplicationName = "mailerq",
            Pooling = true,
        };
        var dataSource = new NpgsqlSlimDataSourceBuilder(builder.ConnectionString).Build();
        return new SqlSettingsStore(dataSource.CreateConnection, SqlDialect.PostgreSql, time, owned: dataSource);
    }
}
