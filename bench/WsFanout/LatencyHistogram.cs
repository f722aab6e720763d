/// <summary>Per-subscriber counts of latencies in whole milliseconds (one reader each, no locking).</summary>
internal sealed class LatencyHistogram
{
    private const int Buckets = 60_001;
    private readonly long[] _counts = new long[Buckets];

    public long Count { get; private set; }

    public void Add(long ms)
    {
        _counts[Math.Clamp(ms, 0, Buckets - 1)]++;
        Count++;
    }

    /// <summary>The q-quantile over several histograms, in ms; -1 when empty.</summary>
    public static long Quantile(IReadOnlyList<LatencyHistogram> all, double q)
    {
        long total = all.Sum(h => h.Count);
        if (total == 0) return -1;
        long rank = Math.Min(total - 1, (long)(q * total));
        long seen = 0;
        for (int ms = 0; ms < Buckets; ms++)
        {
            foreach (var h in all) seen += h._counts[ms];
            if (seen > rank) return ms;
        }
        return Buckets - 1;
    }
}
