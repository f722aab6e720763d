using MailerQ.Www.Core.Logging;
using MailerQ.Www.Core.Settings;

namespace MailerQ.Www.Host.Cluster;

/// <summary>
/// Watches the settings database (issue 11 point 6): a round trip every <see cref="Interval"/>. While it fails the
/// console shows the database as down and writes are refused; delivery keeps the last snapshot. When it answers again
/// the settings are re-read at once, so changes made elsewhere meanwhile arrive without waiting for <c>database-ttl</c>.
/// </summary>
internal sealed class DatabaseMonitor : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly Func<CancellationToken, Task> _ping;
    private readonly SettingsCache _settings;
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;
    private volatile string? _error;
    private long _sinceTicks = DateTimeOffset.UtcNow.UtcTicks;

    public DatabaseMonitor(Func<CancellationToken, Task> ping, SettingsCache settings)
    {
        _ping = ping;
        _settings = settings;
    }

    public bool Up => _error is null;

    /// <summary>Why the last round trip failed; null while up.</summary>
    public string? Error => _error;

    /// <summary>Since when the database is in its current state.</summary>
    public DateTimeOffset Since => new(Interlocked.Read(ref _sinceTicks), TimeSpan.Zero);

    public void Start() => _run ??= Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
                await CheckAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task CheckAsync(CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await _ping(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Whatever the provider throws, the database counts as down until a round trip works.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            string message = ex is OperationCanceledException ? "no answer within 5 s" : ex.Message;
            if (_error is null)
            {
                Interlocked.Exchange(ref _sinceTicks, DateTimeOffset.UtcNow.UtcTicks);
                Log.Warning("settings", "database unreachable: delivery goes on with the last settings, changes are refused", $"error={Log.Quote(message)}");
            }
            _error = message;
            return;
        }
        if (_error is null) return;
        _error = null;
        Interlocked.Exchange(ref _sinceTicks, DateTimeOffset.UtcNow.UtcTicks);
        Log.Info("settings", "database reachable again, reloading");
        try
        {
            await _settings.ReloadAsync(stop).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The next tick or database-ttl tries again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.Warning("settings", "reload after reconnect failed", $"error={Log.Quote(ex.Message)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_run is not null) await _run.ConfigureAwait(false);
        _stop.Dispose();
    }
}
