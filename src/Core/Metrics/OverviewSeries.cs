namespace MailerQ.Www.Core.Metrics;

/// <summary>
/// One key's per-second counts for the last <see cref="OverviewLimits.HistorySeconds"/> seconds in a fixed
/// ring (allocated once, never grown), plus its totals since start. A slot remembers which second it holds,
/// so a slot left over from an earlier lap counts as empty and is cleared when reused.
/// </summary>
/// <remarks>
/// Writers are delivery tasks on many threads; a short lock per series keeps slot reuse and increments
/// consistent (uncontended in practice: different domains hit different series).
/// </remarks>
internal sealed class OverviewSeries
{
    private const int Kinds = 6;
    private const int Seconds = OverviewLimits.HistorySeconds;

    private readonly Lock _gate = new();
    private readonly int[] _counts = new int[Seconds * Kinds];
    private readonly long[] _stamps = new long[Seconds];
    private readonly long[] _totals = new long[Kinds];

    public OverviewSeries()
    {
        // No second is ever negative, so every slot starts out "from another lap".
        Array.Fill(_stamps, long.MinValue);
    }

    public void Add(long second, OverviewEvent kind)
    {
        int slot = (int)(second % Seconds);
        lock (_gate)
        {
            if (_stamps[slot] != second)
            {
                _stamps[slot] = second;
                Array.Clear(_counts, slot * Kinds, Kinds);
            }
            _counts[slot * Kinds + (int)kind]++;
            _totals[(int)kind]++;
        }
    }

    /// <summary>Adds the counts of seconds <c>[from, to]</c> into <paramref name="sums"/>.</summary>
    public void Sum(long from, long to, Span<long> sums)
    {
        lock (_gate)
        {
            for (long s = from; s <= to; s++)
            {
                int slot = (int)(s % Seconds);
                if (_stamps[slot] != s) continue;
                for (int k = 0; k < Kinds; k++) sums[k] += _counts[slot * Kinds + k];
            }
        }
    }

    /// <summary>Adds per-second counts of seconds <c>[from, from + series.Length)</c> into <paramref name="series"/> (6 per second).</summary>
    public void AddTo(long from, Span<long> series)
    {
        int n = series.Length / Kinds;
        lock (_gate)
        {
            for (int i = 0; i < n; i++)
            {
                long s = from + i;
                int slot = (int)(s % Seconds);
                if (_stamps[slot] != s) continue;
                for (int k = 0; k < Kinds; k++) series[i * Kinds + k] += _counts[slot * Kinds + k];
            }
        }
    }

    public void AddTotals(Span<long> sums)
    {
        lock (_gate)
        {
            for (int k = 0; k < Kinds; k++) sums[k] += _totals[k];
        }
    }
}
