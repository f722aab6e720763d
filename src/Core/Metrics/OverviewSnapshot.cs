namespace MailerQ.Www.Core.Metrics;

/// <summary>The six overview numbers over some span of time (one second, a window, or since start).</summary>
internal readonly record struct OverviewSnapshot(long Connects, long Attempts, long Deliveries, long Errors, long Strange, long NotTried)
{
    /// <summary>The count for one kind.</summary>
    public long this[OverviewEvent kind] => kind switch
    {
        OverviewEvent.Connect => Connects,
        OverviewEvent.Attempt => Attempts,
        OverviewEvent.Delivery => Deliveries,
        OverviewEvent.Error => Errors,
        OverviewEvent.Strange => Strange,
        _ => NotTried,
    };

    internal static OverviewSnapshot From(ReadOnlySpan<long> counts) =>
        new(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]);
}
