using MailerQ.Www.Core.Settings;
using Microsoft.Data.Sqlite;

namespace MailerQ.Www.Smtp.Settings;

/// <summary>Opens the store <c>database-address</c> names, migrating its schema first.</summary>
internal static class SettingsStoreFactory
{
    /// <summary>Said when <c>database-address</c> is PostgreSQL, until the cluster issue brings it.</summary>
    public const string PostgreSqlNotYet = "postgresql support comes with clustering; use sqlite:///path for now";

    /// <summary>
    /// Opens and migrates. Throws <see cref="NotSupportedException"/> for PostgreSQL (not yet), and the provider's
    /// exception for a database that cannot be opened or migrated.
    /// </summary>
    public static async Task<SqlSettingsStore> OpenAsync(DatabaseAddress address, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Kind == DatabaseKind.PostgreSql) throw new NotSupportedException(PostgreSqlNotYet);
        var store = OpenSqlite(address.Path!, time);
        await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        return store;
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
}
