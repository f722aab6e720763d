using MailerQ.Www.Core.Metrics;
using Microsoft.Extensions.Time.Testing;

namespace MailerQ.Www.Core.Tests.Metrics;

public sealed class OverviewCountersTests
{
    private static readonly string[] NoTags = [];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private static readonly TimeSpan Minute = TimeSpan.FromSeconds(60);

    [Fact]
    public void Last_minute_counts_each_kind_and_totals_keep_everything_since_start()
    {
        var counters = new OverviewCounters(_time);
        counters.Record(OverviewEvent.Connect, "10.0.0.1", "example.com", NoTags);
        counters.Record(OverviewEvent.Attempt, "10.0.0.1", "example.com", NoTags);
        counters.Record(OverviewEvent.Attempt, "10.0.0.1", "example.com", NoTags);
        counters.Record(OverviewEvent.Delivery, "10.0.0.1", "example.com", NoTags);
        counters.Record(OverviewEvent.Error, "10.0.0.1", "example.com", NoTags);
        counters.Record(OverviewEvent.Strange, "10.0.0.1", "example.com", NoTags);
        counters.Record(OverviewEvent.NotTried, "", "example.com", NoTags);

        var expected = new OverviewSnapshot(1, 2, 1, 1, 1, 1);
        Assert.Equal(expected, counters.Last(Minute, OverviewFilter.None));
        Assert.Equal(expected, counters.Totals(OverviewFilter.None));

        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(default, counters.Last(Minute, OverviewFilter.None));
        Assert.Equal(expected, counters.Totals(OverviewFilter.None));
    }

    [Fact]
    public void Window_includes_the_running_second_and_the_59_before_it()
    {
        var counters = new OverviewCounters(_time);
        counters.Record(OverviewEvent.Delivery, "10.0.0.1", "a.example", NoTags);
        _time.Advance(TimeSpan.FromSeconds(59));
        counters.Record(OverviewEvent.Delivery, "10.0.0.1", "a.example", NoTags);
        Assert.Equal(2, counters.Last(Minute, OverviewFilter.None).Deliveries);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, counters.Last(Minute, OverviewFilter.None).Deliveries);
        Assert.Equal(2, counters.Last(TimeSpan.FromSeconds(61), OverviewFilter.None).Deliveries);
    }

    [Fact]
    public void Filters_slice_by_mta_domain_tag_and_their_combinations()
    {
        var counters = new OverviewCounters(_time);
        counters.Record(OverviewEvent.Delivery, "10.0.0.1", "a.example", ["news"]);
        counters.Record(OverviewEvent.Delivery, "10.0.0.2", "a.example", ["news", "promo"]);
        counters.Record(OverviewEvent.Delivery, "10.0.0.2", "b.example", []);

        long Deliveries(string? mta, string? domain, string? tag) => counters.Last(Minute, new OverviewFilter(mta, domain, tag)).Deliveries;
        Assert.Equal(3, Deliveries(null, null, null));
        Assert.Equal(1, Deliveries("10.0.0.1", null, null));
        Assert.Equal(2, Deliveries("10.0.0.2", null, null));
        Assert.Equal(2, Deliveries(null, "a.example", null));
        Assert.Equal(2, Deliveries(null, "A.EXAMPLE", null));
        Assert.Equal(2, Deliveries(null, null, "news"));
        Assert.Equal(1, Deliveries(null, null, "promo"));
        Assert.Equal(1, Deliveries("10.0.0.2", "a.example", null));
        Assert.Equal(1, Deliveries("10.0.0.2", null, "promo"));
        Assert.Equal(1, Deliveries(null, "a.example", "promo"));
        Assert.Equal(1, Deliveries("10.0.0.1", "a.example", "news"));
        Assert.Equal(0, Deliveries("10.0.0.1", "b.example", null));
        Assert.Equal(0, Deliveries(null, "unknown.example", null));
        Assert.Equal(1, counters.Totals(new OverviewFilter(Domain: "b.example")).Deliveries);
    }

    [Fact]
    public void A_tag_listed_twice_counts_once()
    {
        var counters = new OverviewCounters(_time);
        counters.Record(OverviewEvent.Attempt, "10.0.0.1", "a.example", ["x", "X", "x"]);
        Assert.Equal(1, counters.Last(Minute, new OverviewFilter(Tag: "x")).Attempts);
    }

    [Fact]
    public void Domains_beyond_the_cap_are_counted_as_other()
    {
        var counters = new OverviewCounters(_time, new OverviewLimits { MaxDomains = 2 });
        counters.Record(OverviewEvent.Delivery, "10.0.0.1", "a.example", NoTags);
        counters.Record(OverviewEvent.Delivery, "10.0.0.1", "b.example", NoTags);
        counters.Record(OverviewEvent.Delivery, "10.0.0.1", "c.example", NoTags);
        counters.Record(OverviewEvent.Delivery, "10.0.0.1", "d.example", NoTags);
        counters.Record(OverviewEvent.Delivery, "10.0.0.1", "a.example", NoTags);

        Assert.Equal(2, counters.Last(Minute, new OverviewFilter(Domain: "a.example")).Deliveries);
        Assert.Equal(1, counters.Last(Minute, new OverviewFilter(Domain: "b.example")).Deliveries);
        Assert.Equal(0, counters.Last(Minute, new OverviewFilter(Domain: "c.example")).Deliveries);
        Assert.Equal(2, counters.Last(Minute, new OverviewFilter(Domain: OverviewLimits.Other)).Deliveries);
        Assert.Equal(5, counters.Last(Minute, OverviewFilter.None).Deliveries);
    }

    [Fact]
    public void Number_of_series_stays_bounded_whatever_the_traffic()
    {
        var limits = new OverviewLimits { MaxMtas = 2, MaxDomains = 3, MaxTags = 2, MaxCombinations = 5 };
        var counters = new OverviewCounters(_time, limits);
        for (int i = 0; i < 500; i++)
            counters.Record(OverviewEvent.Attempt, $"10.0.{i % 7}.1", $"d{i}.example", [$"t{i % 11}", $"u{i % 13}"]);

        // 1 for everything + each dimension's cap + its "other" + the combinations cap + the four "other" shapes.
        int bound = 1 + (2 + 1) + (3 + 1) + (2 + 1) + 5 + 4;
        Assert.InRange(counters.SeriesCount, 1, bound);
        Assert.Equal(500, counters.Totals(OverviewFilter.None).Attempts);
    }

    [Fact]
    public void History_gives_one_entry_per_second_oldest_first_ending_now()
    {
        var counters = new OverviewCounters(_time);
        counters.Record(OverviewEvent.Connect, "10.0.0.1", "a.example", NoTags);
        _time.Advance(TimeSpan.FromSeconds(2));
        counters.Record(OverviewEvent.Connect, "10.0.0.1", "a.example", NoTags);
        counters.Record(OverviewEvent.Connect, "10.0.0.2", "a.example", NoTags);

        var history = counters.History(5, OverviewFilter.None);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds() - 4, history.FirstSecond);
        Assert.Equal([0L, 0, 1, 0, 2], history.Seconds.Select(s => s.Connects));

        var filtered = counters.History(5, new OverviewFilter(Mta: "10.0.0.2"));
        Assert.Equal([0L, 0, 0, 0, 1], filtered.Seconds.Select(s => s.Connects));
    }

    [Fact]
    public void History_forgets_seconds_older_than_an_hour_when_the_ring_wraps()
    {
        var counters = new OverviewCounters(_time);
        counters.Record(OverviewEvent.Error, "10.0.0.1", "a.example", NoTags);
        _time.Advance(TimeSpan.FromSeconds(OverviewLimits.HistorySeconds));
        // Same ring slot as the first event, one lap later.
        counters.Record(OverviewEvent.Error, "10.0.0.1", "a.example", NoTags);

        var history = counters.History(OverviewLimits.HistorySeconds, OverviewFilter.None);
        Assert.Equal(1, history.Seconds.Sum(s => s.Errors));
        Assert.Equal(1, history.Seconds[^1].Errors);
        Assert.Equal(2, counters.Totals(OverviewFilter.None).Errors);
    }

    [Fact]
    public void History_refuses_more_than_an_hour()
    {
        var counters = new OverviewCounters(_time);
        Assert.Throws<ArgumentOutOfRangeException>(() => counters.History(3601, OverviewFilter.None));
        Assert.Throws<ArgumentOutOfRangeException>(() => counters.History(0, OverviewFilter.None));
    }

    [Fact]
    public void Uptime_follows_the_clock()
    {
        var counters = new OverviewCounters(_time);
        _time.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(TimeSpan.FromSeconds(90), counters.Uptime);
    }

    [Fact]
    public void Latency_histogram_is_cumulative_with_sum_and_count()
    {
        var counters = new OverviewCounters(_time);
        counters.RecordLatency(TimeSpan.FromMilliseconds(50));
        counters.RecordLatency(TimeSpan.FromSeconds(2));
        counters.RecordLatency(TimeSpan.FromDays(3));

        var cumulative = counters.Latency.Cumulative();
        Assert.Equal(LatencyHistogram.Bounds.Length + 1, cumulative.Length);
        Assert.Equal(1, cumulative[0]);                                          // ≤ 0.1 s
        Assert.Equal(2, cumulative[Array.IndexOf(LatencyHistogram.Bounds, 2.5)]); // ≤ 2.5 s
        Assert.Equal(2, cumulative[^2]);                                         // ≤ 1 day
        Assert.Equal(3, cumulative[^1]);                                         // +Inf
        Assert.Equal(3, counters.Latency.Count);
        Assert.Equal(0.05 + 2 + 3 * 86400, counters.Latency.SumSeconds, 3);
    }

    [Fact]
    public void Recording_a_known_key_allocates_nothing()
    {
        var counters = new OverviewCounters(_time);
        string[] tags = ["news"];
        counters.Record(OverviewEvent.Attempt, "10.0.0.1", "a.example", tags);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
            counters.Record(OverviewEvent.Attempt, "10.0.0.1", "a.example", tags);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
