using MailerQ.Www.Smtp.Settings;
using Microsoft.Data.Sqlite;

namespace MailerQ.Www.Delivery.Tests.Settings;

/// <summary>A SQLite settings database in a temporary folder, removed when the test ends.</summary>
internal sealed class TempDatabase : IDisposable
{
    public TempDatabase() => Directory.CreateDirectory(Folder);

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "mqsettings-" + Guid.NewGuid().ToString("N"));

    public string File => Path.Combine(Folder, "sub", "mailerq.sql");

    public async Task<SqlSettingsStore> OpenAsync(TimeProvider? time = null)
    {
        var store = SettingsStoreFactory.OpenSqlite(File, time);
        await store.MigrateAsync();
        return store;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
