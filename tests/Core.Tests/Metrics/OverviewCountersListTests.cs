using MailerQ.Www.Core.Metrics;
using Microsoft.Extensions.Time.Testing;

namespace MailerQ.Www.Core.Tests.Metrics;

/// <summary><see cref="OverviewCounters.List"/>: the values the Domains, MTA IPs and Tags pages list.</summary>
public sealed class OverviewCountersListTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromSeconds(60);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Each_dimension_lists_its_values_with_the_window_and_the_totals()
    {
        var counters = new OverviewCounters(_time);
        counters.Record(OverviewEvent.Delivery, "10.0.0.1", "a.example", ["news"]);
        counters.Record(OverviewEvent.Delivery, "10.0.0.2", "a.example", []);
        _time.Advance(TimeSpan.FromSeconds(90));
        counters.Record(OverviewEvent.Error, "10.0.0.1", "b.example", ["news", "promo"]);

        var domains = counters.List(OverviewDimension.Domain, Minute).OrderBy(e => e.Name).ToList();
        Assert.Equal(["a.example", "b.example"], domains.Select(e => e.Name));
        Assert.Equal(0, domains[0].Last.Deliveries); // 90 s ago: out of the window, still in the totals
        Assert.Equal(2, domains[0].Totals.Deliveries);
        Assert.Equal(1, domains[1].Last.Errors);

        var mtas = counters.List(OverviewDimension.Mta, Minute).OrderBy(e => e.Name).ToList();
        Assert.Equal(["10.0.0.1", "10.0.0.2"], mtas.Select(e => e.Name));
        Assert.Equal(new OverviewSnapshot(0, 0, 1, 1, 0, 0), mtas[0].Totals);

        var tags = counters.List(OverviewDimension.Tag, Minute).OrderBy(e => e.Name).ToList();
        Assert.Equal(["news", "promo"], tags.Select(e => e.Name));
        Assert.Equal(new OverviewSnapshot(0, 0, 1, 1, 0, 0), tags[0].Totals);
    }

    [Fact]
    public void Values_beyond_the_cap_are_listed_once_as_other()
    {
        var counters = new OverviewCounters(_time, new OverviewLimits { MaxDomains = 1 });
        counters.Record(OverviewEvent.Attempt, "", "first.example", []);
        counters.Record(OverviewEvent.Attempt, "", "second.example", []);
        counters.Record(OverviewEvent.Attempt, "", "third.example", []);

        var domains = counters.List(OverviewDimension.Domain, Minute).OrderBy(e => e.Name).ToList();
        Assert.Equal(["first.example", OverviewLimits.Other], domains.Select(e => e.Name));
        Assert.Equal(2, domains[1].Last.Attempts);
        Assert.Empty(counters.List(OverviewDimension.Mta, Minute));
    }
}
