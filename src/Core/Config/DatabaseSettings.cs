using MailerQ.Www.Core.Settings;

namespace MailerQ.Www.Core.Config;

/// <summary>
/// <c>database-address</c> and <c>database-ttl</c> (5.13/database-access.md): where the delivery settings live and
/// how often the in-memory copy is re-read. Problems are config errors with file and line.
/// </summary>
internal sealed class DatabaseSettings
{
    /// <summary>Upper bound for <c>database-ttl</c>: a day; beyond that a typo is likelier than intent.</summary>
    public static readonly TimeSpan MaxTtl = TimeSpan.FromDays(1);

    public required DatabaseAddress Address { get; init; }

    /// <summary>Re-read period; <see cref="TimeSpan.Zero"/> = only on writes and reload requests.</summary>
    public TimeSpan Ttl { get; init; } = SettingsCache.DefaultTtl;

    public static DatabaseSettings Read(ConfigSet config, GeneralSettings general) =>
        Read(config, general, Directory.GetCurrentDirectory());

    internal static DatabaseSettings Read(ConfigSet config, GeneralSettings general, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(general);
        var address = DatabaseAddress.DefaultFor(general.DataDirectory);
        var entry = config.Last("database-address");
        if (entry is not null && entry.Value.Length > 0)
        {
            if (DatabaseAddress.TryParse(entry.Value, workingDirectory, out var parsed, out var error)) address = parsed;
            else config.Report(entry, error);
        }
        var ttl = config.GetDuration("database-ttl", SettingsCache.DefaultTtl);
        var ttlEntry = config.Last("database-ttl");
        if (ttlEntry is not null && (ttl < TimeSpan.Zero || ttl > MaxTtl))
        {
            config.Report(ttlEntry, "must be from 0 (reload only on changes) to 86400 seconds");
            ttl = SettingsCache.DefaultTtl;
        }
        return new DatabaseSettings { Address = address, Ttl = ttl };
    }
}
