namespace MailerQ.Www.Core.Limits;

/// <summary>
/// An exact cap on simultaneous connections (<c>www-connections</c>, later <c>smtp-connections</c>).
/// Acquired on the accept thread before a connection is handed off and released exactly once when
/// it ends, so at no instant are more than <see cref="Limit"/> connections being served.
/// </summary>
/// <remarks>Kestrel's ResourceCounter pattern: a compare-and-swap loop, never a lock.</remarks>
public sealed class ConnectionLimiter
{
    private long _current;
    private long _peak;

    /// <summary>Creates a limiter that admits at most <paramref name="limit"/> connections at once.</summary>
    public ConnectionLimiter(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Limit = limit;
    }

    /// <summary>The configured cap.</summary>
    public int Limit { get; }

    /// <summary>Connections being served right now (for <c>/metrics</c> and tests).</summary>
    public long Current => Volatile.Read(ref _current);

    /// <summary>The highest value <see cref="Current"/> ever reached.</summary>
    public long Peak => Volatile.Read(ref _peak);

    /// <summary>Takes one slot when one is free; never blocks.</summary>
    public bool TryAcquire()
    {
        long current = Volatile.Read(ref _current);
        while (current < Limit)
        {
            long seen = Interlocked.CompareExchange(ref _current, current + 1, current);
            if (seen == current)
            {
                UpdatePeak(current + 1);
                return true;
            }
            current = seen;
        }
        return false;
    }

    /// <summary>Gives back a slot taken by <see cref="TryAcquire"/>. Call exactly once per success.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _current) < 0)
            throw new InvalidOperationException("ConnectionLimiter released more often than acquired.");
    }

    private void UpdatePeak(long value)
    {
        long peak = Volatile.Read(ref _peak);
        while (value > peak)
        {
            long seen = Interlocked.CompareExchange(ref _peak, value, peak);
            if (seen == peak) return;
            peak = seen;
        }
    }
}
