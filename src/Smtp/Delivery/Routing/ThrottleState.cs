namespace MailerQ.Www.Smtp.Delivery.Routing;

/// <summary>Live counters one throttle level needs: rates as spacing, open connections, and a wake-up for waiters.</summary>
internal class ThrottleState
{
    private int _open;
    private int _peak;

    public RateSpacing Messages { get; } = new();
    public RateSpacing Connects { get; } = new();

    /// <summary>Connections open (busy or idle) on this level.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>The most connections ever open at once on this level.</summary>
    public int Peak => Volatile.Read(ref _peak);

    public SlotSignal Released { get; } = new();

    public DateTimeOffset LastUsed { get; set; }

    /// <summary>Takes a connection slot when fewer than <paramref name="max"/> are open (≤ 0 = unlimited).</summary>
    public bool TryOpen(int max)
    {
        while (true)
        {
            int open = Volatile.Read(ref _open);
            if (max > 0 && open >= max)
                return false;
            if (Interlocked.CompareExchange(ref _open, open + 1, open) == open)
            {
                int peak;
                while ((peak = Volatile.Read(ref _peak)) < open + 1 && Interlocked.CompareExchange(ref _peak, open + 1, peak) != peak)
                {
                }
                return true;
            }
        }
    }

    public void Close()
    {
        Interlocked.Decrement(ref _open);
        Released.Fire();
    }
}
