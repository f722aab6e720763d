namespace MailerQ.Www.Core.Metrics;

/// <summary>
/// Delivery latency (from acceptance to the remote 250) as a Prometheus-style cumulative histogram with fixed
/// bucket bounds. Lock-free: one Interlocked increment per observation, no allocation.
/// </summary>
internal sealed class LatencyHistogram
{
    /// <summary>
    /// Upper bounds in seconds. Mail latency spans from sub-second (a warm connection) to hours (retries per
    /// MailerQ's default <c>retry-interval</c> of 5 min, 10 min, … up to <c>max-delivertime</c> of 24 h).
    /// </summary>
    public static readonly double[] Bounds = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400];

    private readonly long[] _buckets = new long[Bounds.Length + 1];
    private long _count;
    private long _sumMicroseconds;

    public void Observe(TimeSpan latency)
    {
        double seconds = Math.Max(0, latency.TotalSeconds);
        int i = 0;
        while (i < Bounds.Length && seconds > Bounds[i]) i++;
        Interlocked.Increment(ref _buckets[i]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sumMicroseconds, (long)(seconds * 1_000_000));
    }

    public long Count => Interlocked.Read(ref _count);

    public double SumSeconds => Interlocked.Read(ref _sumMicroseconds) / 1_000_000.0;

    /// <summary>Observations ≤ <see cref="Bounds"/>[i] (cumulative, as Prometheus wants); the last entry is +Inf.</summary>
    public long[] Cumulative()
    {
        var result = new long[_buckets.Length];
        long running = 0;
        for (int i = 0; i < _buckets.Length; i++)
        {
            running += Interlocked.Read(ref _buckets[i]);
            result[i] = running;
        }
        return result;
    }
}
