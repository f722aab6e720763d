namespace MailerQ.Www.Smtp.Delivery.Routing;

/// <summary>Live counters one throttle level needs: rates as spacing, open connections, and a wake-up for waiters.</summary>
internal class ThrottleState
{
    private int _open;

    public RateSpacing Messages { get; } = new();
    public RateSpacing Connects { get; } = new();

    /// <summary>Connections open (busy or idle) on this level.</summary>
    public int Open => Volatile.Read(ref _open);

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
                return true;
        }
    }

    public void Close()
    {
        Interlocked.Decrement(ref _open);
        Released.Fire();
    }
}
