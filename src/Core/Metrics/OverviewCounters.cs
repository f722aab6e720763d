using System.Collections.Concurrent;

namespace MailerQ.Www.Core.Metrics;

/// <summary>
/// MailerQ's overview numbers (Connects, Attempts, Deliveries, Errors, Strange, Not tried) per second for the
/// last hour and since start, sliceable by MTA IP, recipient domain and tag, as the console's overview page
/// filters them. The delivery engine calls <see cref="Record"/>; <c>/api/stats</c>, the chart history and
/// <c>/metrics</c> read.
/// </summary>
/// <remarks>
/// Every event is counted into each slice it belongs to: everything; its MTA; its domain; MTA+domain; and
/// for each tag the tag alone, MTA+tag, domain+tag and MTA+domain+tag. A query then reads one series,
/// whatever the filter. Memory is bounded (<see cref="OverviewLimits"/>): beyond the cap of a dimension,
/// new values are counted as <see cref="OverviewLimits.Other"/>; beyond the cap of combinations, new
/// combinations are counted under the combination of <c>other</c>s of the same shape, so a filter naming
/// such a combination reads zero while the single-dimension numbers stay exact. After the first event of
/// a key, recording allocates nothing: one lock-free dictionary lookup and one slot increment per slice.
/// </remarks>
public sealed class OverviewCounters
{
    private const int Kinds = 6;

    private readonly ConcurrentDictionary<OverviewKey, OverviewSeries> _series = new(OverviewKeyComparer.Instance);
    private readonly Lock _addGate = new();
    private readonly TimeProvider _time;
    private readonly OverviewLimits _limits;
    private readonly LatencyHistogram _latency = new();
    private int _mtas, _domains, _tags, _combinations;

    /// <summary>Counters with the default bounds, on <paramref name="time"/> (default: the system clock).</summary>
    public OverviewCounters(TimeProvider? time = null)
        : this(time, null)
    {
    }

    internal OverviewCounters(TimeProvider? time, OverviewLimits? limits)
    {
        _time = time ?? TimeProvider.System;
        _limits = limits ?? new OverviewLimits();
        Started = _time.GetUtcNow();
        _series[default] = new OverviewSeries();
    }

    /// <summary>When counting began (the process start, for <c>uptime</c>).</summary>
    public DateTimeOffset Started { get; }

    /// <summary>Time since <see cref="Started"/>.</summary>
    public TimeSpan Uptime => _time.GetUtcNow() - Started;

    /// <summary>Delivery latencies recorded with <see cref="RecordLatency"/>.</summary>
    internal LatencyHistogram Latency => _latency;

    /// <summary>How many series exist (tests, and a bound the docs promise).</summary>
    internal int SeriesCount => _series.Count;

    /// <summary>
    /// Counts one event. <paramref name="mta"/> is the local IP the attempt used and <paramref name="domain"/>
    /// the recipient domain; either may be empty when not known (a message that failed before an IP was
    /// chosen), and then that event is not in any slice of that dimension.
    /// </summary>
    public void Record(OverviewEvent kind, string mta, string domain, IReadOnlyList<string> tags)
    {
        long second = _time.GetUtcNow().ToUnixTimeSeconds();
        string? m = string.IsNullOrEmpty(mta) ? null : Fold(mta, Dimension.Mta);
        string? d = string.IsNullOrEmpty(domain) ? null : Fold(domain, Dimension.Domain);

        _series[default].Add(second, kind);
        if (m is not null) Get(new OverviewKey(m, null, null)).Add(second, kind);
        if (d is not null) Get(new OverviewKey(null, d, null)).Add(second, kind);
        if (m is not null && d is not null) Get(new OverviewKey(m, d, null)).Add(second, kind);

        int count = tags?.Count ?? 0;
        for (int i = 0; i < count; i++)
        {
            string tag = tags![i];
            if (string.IsNullOrEmpty(tag) || IsRepeat(tags, i)) continue;
            string t = Fold(tag, Dimension.Tag);
            Get(new OverviewKey(null, null, t)).Add(second, kind);
            if (m is not null) Get(new OverviewKey(m, null, t)).Add(second, kind);
            if (d is not null) Get(new OverviewKey(null, d, t)).Add(second, kind);
            if (m is not null && d is not null) Get(new OverviewKey(m, d, t)).Add(second, kind);
        }
    }

    /// <summary>Counts one delivery's latency (accepted → remote 250) into the <c>/metrics</c> histogram.</summary>
    public void RecordLatency(TimeSpan deliveryLatency) => _latency.Observe(deliveryLatency);

    /// <summary>The sums over the last <paramref name="window"/> (whole seconds, the running one included; at most an hour).</summary>
    internal OverviewSnapshot Last(TimeSpan window, OverviewFilter filter)
    {
        long seconds = Math.Clamp((long)Math.Ceiling(window.TotalSeconds), 0, OverviewLimits.HistorySeconds);
        Span<long> sums = stackalloc long[Kinds];
        if (seconds > 0 && Find(filter) is { } series)
        {
            long now = _time.GetUtcNow().ToUnixTimeSeconds();
            series.Sum(now - seconds + 1, now, sums);
        }
        return OverviewSnapshot.From(sums);
    }

    /// <summary>The sums since start.</summary>
    internal OverviewSnapshot Totals(OverviewFilter filter)
    {
        Span<long> sums = stackalloc long[Kinds];
        Find(filter)?.AddTotals(sums);
        return OverviewSnapshot.From(sums);
    }

    /// <summary>The last <paramref name="seconds"/> seconds (1…3600), oldest first, ending with the running second.</summary>
    internal OverviewHistory History(int seconds, OverviewFilter filter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seconds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(seconds, OverviewLimits.HistorySeconds);
        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        long first = now - seconds + 1;
        var flat = new long[seconds * Kinds];
        Find(filter)?.AddTo(first, flat);
        var result = new OverviewSnapshot[seconds];
        for (int i = 0; i < seconds; i++) result[i] = OverviewSnapshot.From(flat.AsSpan(i * Kinds, Kinds));
        return new OverviewHistory(first, result);
    }

    /// <summary>
    /// Every value seen in <paramref name="dimension"/> (including <see cref="OverviewLimits.Other"/> once a cap was
    /// reached) with its sums over the last <paramref name="window"/> and since start, in no particular order. Reads
    /// the single-dimension series only; cost grows with the number of tracked keys (capped), never with traffic.
    /// </summary>
    internal List<OverviewEntry> List(OverviewDimension dimension, TimeSpan window)
    {
        long seconds = Math.Clamp((long)Math.Ceiling(window.TotalSeconds), 0, OverviewLimits.HistorySeconds);
        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        var result = new List<OverviewEntry>();
        Span<long> last = stackalloc long[Kinds];
        Span<long> totals = stackalloc long[Kinds];
        foreach (var (key, series) in _series)
        {
            if (key.Dimensions != 1) continue;
            string? name = dimension switch
            {
                OverviewDimension.Mta => key.Mta,
                OverviewDimension.Domain => key.Domain,
                _ => key.Tag,
            };
            if (name is null) continue;
            last.Clear();
            totals.Clear();
            if (seconds > 0) series.Sum(now - seconds + 1, now, last);
            series.AddTotals(totals);
            result.Add(new OverviewEntry(name, OverviewSnapshot.From(last), OverviewSnapshot.From(totals)));
        }
        return result;
    }

    private OverviewSeries? Find(OverviewFilter filter)
    {
        var key = new OverviewKey(NullIfEmpty(filter.Mta), NullIfEmpty(filter.Domain), NullIfEmpty(filter.Tag));
        return _series.TryGetValue(key, out var series) ? series : null;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static bool IsRepeat(IReadOnlyList<string> tags, int index)
    {
        for (int j = 0; j < index; j++)
        {
            if (string.Equals(tags[j], tags[index], StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    private enum Dimension : byte { Mta, Domain, Tag }

    /// <summary>The value itself when it is tracked or there is room for it, else <see cref="OverviewLimits.Other"/>.</summary>
    private string Fold(string value, Dimension dimension)
    {
        var key = dimension switch
        {
            Dimension.Mta => new OverviewKey(value, null, null),
            Dimension.Domain => new OverviewKey(null, value, null),
            _ => new OverviewKey(null, null, value),
        };
        if (_series.ContainsKey(key)) return value;
        lock (_addGate)
        {
            if (_series.ContainsKey(key)) return value;
            switch (dimension)
            {
                case Dimension.Mta when _mtas < _limits.MaxMtas: _mtas++; break;
                case Dimension.Domain when _domains < _limits.MaxDomains: _domains++; break;
                case Dimension.Tag when _tags < _limits.MaxTags: _tags++; break;
                default: return OverviewLimits.Other;
            }
            _series[key] = new OverviewSeries();
            return value;
        }
    }

    /// <summary>The series of a key, created on first use; combinations beyond the cap fold into the <c>other</c> one of their shape.</summary>
    private OverviewSeries Get(OverviewKey key)
    {
        if (_series.TryGetValue(key, out var series)) return series;
        lock (_addGate)
        {
            if (_series.TryGetValue(key, out series)) return series;
            // Single-dimension keys were made by Fold (or are "other", which needs no cap).
            if (key.Dimensions >= 2)
            {
                if (_combinations >= _limits.MaxCombinations)
                {
                    key = new OverviewKey(
                        key.Mta is null ? null : OverviewLimits.Other,
                        key.Domain is null ? null : OverviewLimits.Other,
                        key.Tag is null ? null : OverviewLimits.Other);
                    if (_series.TryGetValue(key, out series)) return series;
                }
                else
                {
                    _combinations++;
                }
            }
            series = new OverviewSeries();
            _series[key] = series;
            return series;
        }
    }
}
