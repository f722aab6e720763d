using MailerQ.Www.Core.Logging;

namespace MailerQ.Www.Core.Settings;

/// <summary>
/// The current <see cref="SettingsSnapshot"/> for the delivery engine and the console. Re-read every
/// <c>database-ttl</c> (MailerQ: 600 s, so direct SQL edits and other instances' changes arrive), right after
/// every write made through <see cref="WriteAsync{T}"/> (so the console's and REST API's changes apply in-process
/// before the request is answered), and on <see cref="ReloadAsync"/> (the cluster's <c>{"reload":true}</c>).
/// </summary>
/// <remarks>
/// Readers take <see cref="Current"/> (one volatile read) and keep that snapshot for as long as they need a
/// consistent view. A failed periodic reload keeps the old snapshot and logs; a failed reload after a write
/// throws to the writer, whose change is in the database and arrives with the next reload.
/// </remarks>
/// <para>Public as an opaque handle: an embedding MTA opens one with MailerQ.Www.Smtp's <c>SettingsDatabase.OpenAsync</c>
/// and gives it to the console (<c>new ConsoleServer(options, settings)</c>); its members stay internal.</para>
public sealed class SettingsCache : IAsyncDisposable
{
    /// <summary>MailerQ's <c>database-ttl</c> default (5.13/database-access.md).</summary>
    internal static readonly TimeSpan DefaultTtl = TimeSpan.FromSeconds(600);

    private readonly ISettingsStore _store;
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private readonly ITimer? _timer;
    private SettingsSnapshot _current;

    private SettingsCache(ISettingsStore store, SettingsSnapshot first, TimeSpan ttl, TimeProvider time)
    {
        _store = store;
        _current = first;
        if (ttl > TimeSpan.Zero)
            _timer = time.CreateTimer(static state => _ = ((SettingsCache)state!).PeriodicReloadAsync(), this, ttl, ttl);
    }

    /// <summary>Loads the first snapshot (errors propagate: a broken database stops the start) and starts the TTL timer.</summary>
    internal static async Task<SettingsCache> StartAsync(ISettingsStore store, TimeSpan ttl, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var first = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
        return new SettingsCache(store, first, ttl, time ?? TimeProvider.System);
    }

    /// <summary>The settings now in force.</summary>
    internal SettingsSnapshot Current => Volatile.Read(ref _current);

    /// <summary>The store behind the cache, for reads that are not in the snapshot (audit).</summary>
    internal ISettingsStore Store => _store;

    /// <summary>Raised after every reload with the new snapshot (on the reloading thread; keep handlers short).</summary>
    internal event Action<SettingsSnapshot>? Changed;

    /// <summary>Re-reads the database now and swaps the snapshot in.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await _reloadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        SettingsSnapshot next;
        try
        {
            next = await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _current, next);
        }
        finally
        {
            _reloadGate.Release();
        }
        Changed?.Invoke(next);
    }

    /// <summary>
    /// Asked before every write: null lets it through, a text refuses it with <see cref="SettingsUnavailableException"/>
    /// (the cluster sets it: database or broker down). Null = always allowed.
    /// </summary>
    internal Func<string?>? WriteGuard { get; set; }

    /// <summary>
    /// Raised after every successful write and its reload (not after other reloads): the cluster tells the other
    /// instances to reload (<c>{"reload":true}</c>). Handlers must not throw.
    /// </summary>
    internal event Action? Written;

    /// <summary>Runs a write against the store, then reloads, so the change is in <see cref="Current"/> when this returns.</summary>
    /// <exception cref="SettingsUnavailableException">The guard refused, or the database could not be reached.</exception>
    internal async Task<T> WriteAsync<T>(Func<ISettingsStore, CancellationToken, ValueTask<T>> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (WriteGuard?.Invoke() is { } refusal) throw new SettingsUnavailableException(refusal);
        T result;
        try
        {
            result = await write(_store, cancellationToken).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException ex) when (ex.IsTransient || ex.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException)
        {
            throw new SettingsUnavailableException("settings database unavailable: " + ex.Message, ex);
        }
        await ReloadAsync(cancellationToken).ConfigureAwait(false);
        Written?.Invoke();
        return result;
    }

    private async Task PeriodicReloadAsync()
    {
        try
        {
            await ReloadAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The timer must survive a database hiccup; the old snapshot stays in force.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.Warning("settings", "reload failed, keeping the previous settings", $"error={Log.Quote(ex.Message)}");
        }
    }

    /// <summary>Stops the reload timer and closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_timer is not null) await _timer.DisposeAsync().ConfigureAwait(false);
        await _store.DisposeAsync().ConfigureAwait(false);
        _reloadGate.Dispose();
    }
}
