namespace MailerQ.Www.Core.Metrics;

/// <summary>A value that goes up and down (open websockets, queue size). Lock-free.</summary>
public sealed class MetricGauge
{
    private long _value;

    /// <summary>The value now.</summary>
    public long Value => Interlocked.Read(ref _value);

    /// <summary>Sets the value.</summary>
    public void Set(long value) => Interlocked.Exchange(ref _value, value);

    /// <summary>Adds one.</summary>
    public void Increment() => Interlocked.Increment(ref _value);

    /// <summary>Subtracts one.</summary>
    public void Decrement() => Interlocked.Decrement(ref _value);
}
