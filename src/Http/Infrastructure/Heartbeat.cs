namespace MailerQ.Www.Http.Infrastructure;

/// <summary>
/// One timer for every connection's deadline, as Kestrel does: a connection stores a tick count and
/// the heartbeat compares it twice a second. Per-request timeouts then cost a field write instead of
/// a timer or a CancellationTokenSource per request.
/// </summary>
internal sealed class Heartbeat : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly Timer _timer;
    private readonly Action<long> _onTick;
    private int _running;

    public Heartbeat(Action<long> onTick)
    {
        _onTick = onTick;
        _timer = new Timer(static s => ((Heartbeat)s!).Tick(), this, Interval, Interval);
    }

    /// <summary>Milliseconds on the monotonic clock the deadlines are measured against.</summary>
    public static long Now => Environment.TickCount64;

    private void Tick()
    {
        // A slow tick must not overlap the next one.
        if (Interlocked.Exchange(ref _running, 1) == 1) return;
        try
        {
            _onTick(Now);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    public void Dispose() => _timer.Dispose();
}
