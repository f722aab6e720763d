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
    /// <summary>Reads the keys; PostgreSQL parses but is refused until the cluster issue brings it.</summary>
    public static DatabaseSettings Read(ConfigSet config, GeneralSettings general)
    {
        var settings = DatabaseSettings.Read(config, general);
        if (settings.Address.Kind == DatabaseKind.PostgreSql)
            config.Diagnostics.Error(config.OriginOf("database-address") ?? ConfigOrigin.Default, "database-address", SettingsStoreFactory.PostgreSqlNotYet);
        return settings;
    }

    /// <summary>Opens, migrates and loads the first snapshot; null (with the error recorded) when that fails.</summary>
    public static async Task<SettingsCache?> OpenAsync(DatabaseSettings settings, ConfigSet config)
    {
        SqlSettingsStore? store = null;
        try
        {
            store = await SettingsStoreFactory.OpenAsync(settings.Address).ConfigureAwait(false);
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
