namespace MailerQ.Www.Core.Metrics;

/// <summary>
/// A per-second series for the overview chart: <see cref="Seconds"/>[0] is the second that started at
/// <see cref="FirstSecond"/> (Unix seconds, UTC), the last entry is the current, still running second.
/// </summary>
internal sealed record OverviewHistory(long FirstSecond, OverviewSnapshot[] Seconds);
