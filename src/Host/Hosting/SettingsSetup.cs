using MailerQ.Www.Core.Config;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Smtp.Settings;

namespace MailerQ.Www.Host.Hosting;

/// <summary>
/// The settings database (<c>database-address</c>, <c>database-ttl</c>): validated with the rest of the config,
/// opened and migrated before anything listens. Any problem is a config error (exit 2) naming the key, so a broken
/// database never half-starts the server.
/// </summary>
internal static class SettingsSetup
{
    /// <summary>Reads the keys (and validates them).</summary>
    public static DatabaseSettings Read(ConfigSet config, GeneralSettings general) => DatabaseSettings.Read(config, general);

    /// <summary>
    /// Opens, migrates (checking, repairing or purging the schema as <paramref name="startup"/> says) and loads the first
    /// snapshot for instance <paramref name="instanceId"/> (null = a lone instance); null (with the error recorded) when that fails.
    /// </summary>
    public static async Task<SettingsCache?> OpenAsync(DatabaseSettings settings, ConfigSet config, DatabaseStartup? startup = null, string? instanceId = null)
    {
        SqlSettingsStore? store = null;
        startup ??= DatabaseStartup.Default;
        try
        {
            if (startup.Purge) Log.Warning("settings", "--purge-database: dropping every settings table", $"address={Log.Quote(settings.Address.ToString())}");
            store = await SettingsStoreFactory.OpenAsync(settings.Address, startup).ConfigureAwait(false);
            store.InstanceId = instanceId;
            var cache = await SettingsCache.StartAsync(store, settings.Ttl).ConfigureAwait(false);
            Log.Info("settings", "database opened", $"address={Log.Quote(settings.Address.ToString())} ttl={(long)settings.Ttl.TotalSeconds}s");
            return cache;
        }
#pragma warning disable CA1031 // Whatever the provider throws (I/O, corrupt file, newer schema) becomes one config error line.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (store is not null) await store.DisposeAsync().ConfigureAwait(false);
            config.Diagnostics.Error(config.OriginOf("database-address") ?? ConfigOrigin.Default, "database-address",
                $"cannot open the settings database {settings.Address}: {ex.Message}");
            return null;
        }
    }
}
