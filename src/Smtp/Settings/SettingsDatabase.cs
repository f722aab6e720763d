using MailerQ.Www.Core.Settings;

namespace MailerQ.Www.Smtp.Settings;

/// <summary>
/// Opens MailerQ's settings database (throttles, pauses, forced errors, suppressions, pools, DKIM keys, REST API tokens)
/// for an MTA that embeds the console: give the result to <c>new ConsoleServer(options, settings)</c> and the console's
/// settings pages, <c>/api/dkim</c>, <c>/api/tokens</c> and REST API v1 work against it. Our own host opens it the same way.
/// </summary>
public static class SettingsDatabase
{
    /// <summary>
    /// Opens and migrates the database at <paramref name="address"/> — <c>sqlite://path</c> (relative to
    /// <paramref name="workingDirectory"/>, default the current directory) or <c>postgresql://user:password@host/db</c>,
    /// as MailerQ's <c>database-address</c> — and loads the first snapshot; re-read every <paramref name="ttl"/>
    /// (MailerQ's <c>database-ttl</c>, default 600 s). Dispose the result to close it.
    /// </summary>
    /// <exception cref="ArgumentException">The address is not a database address; the message says why.</exception>
    public static async Task<SettingsCache> OpenAsync(string address, TimeSpan? ttl = null, string? workingDirectory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!DatabaseAddress.TryParse(address, workingDirectory ?? Environment.CurrentDirectory, out var parsed, out var error))
            throw new ArgumentException($"database-address: {error}", nameof(address));
        var store = await SettingsStoreFactory.OpenAsync(parsed, DatabaseStartup.Default, cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            return await SettingsCache.StartAsync(store, ttl ?? SettingsCache.DefaultTtl, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
