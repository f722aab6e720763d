namespace MailerQ.Www.Core.Metrics;

/// <summary>
/// Bounds of <see cref="OverviewCounters"/>. Each tracked key costs one ring of
/// <see cref="HistorySeconds"/> × 6 ints (≈ 84 KiB), allocated the first time the key is seen; the caps keep
/// the worst case at (1 + 32 + 128 + 32 + 128) keys ≈ 27 MiB, whatever the traffic.
/// </summary>
internal sealed record OverviewLimits
{
    /// <summary>An hour of per-second history: what the overview chart can show (MailerQ's longest range).</summary>
    public const int HistorySeconds = 3600;

    /// <summary>The name distinct values beyond a cap are counted under.</summary>
    public const string Other = "other";

    /// <summary>Distinct MTA IPs tracked one by one (a sending host has a few, rarely dozens).</summary>
    public int MaxMtas { get; init; } = 32;

    /// <summary>Distinct recipient domains tracked one by one; the long tail goes to <see cref="Other"/>.</summary>
    public int MaxDomains { get; init; } = 128;

    /// <summary>Distinct tags tracked one by one.</summary>
    public int MaxTags { get; init; } = 32;

    /// <summary>
    /// Keys that fix two or three dimensions (mta+domain, domain+tag, …) for combined filters. Beyond this,
    /// new combinations are counted under the all-<see cref="Other"/> combination.
    /// </summary>
    public int MaxCombinations { get; init; } = 128;
}
