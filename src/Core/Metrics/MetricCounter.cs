namespace MailerQ.Www.Core.Metrics;

/// <summary>A monotonically increasing count (connections accepted, chunks published). Lock-free.</summary>
public sealed class MetricCounter
{
    private long _value;

    /// <summary>The count so far.</summary>
    public long Value => Interlocked.Read(ref _value);

    /// <summary>Adds one.</summary>
    public void Increment() => Interlocked.Increment(ref _value);

    /// <summary>Adds a non-negative amount.</summary>
    public void Add(long amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        Interlocked.Add(ref _value, amount);
    }
}
