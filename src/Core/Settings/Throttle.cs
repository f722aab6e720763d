namespace MailerQ.Www.Core.Settings;

/// <summary>
/// A throttle (MailerQ's table <c>capacity</c> with its <c>capacity_rules</c>): a name, patterns saying where it
/// applies, and limits. When several match, the higher <see cref="Priority"/> wins limit by limit.
/// An empty pattern list applies everywhere (one "from * to *" pattern).
/// </summary>
internal sealed record Throttle
{
    public long Id { get; init; }
    public required string Name { get; init; }
    public int Priority { get; init; }
    public IReadOnlyList<ThrottlePattern> Patterns { get; init; } = [];
    public ThrottleLimits Limits { get; init; } = ThrottleLimits.None;
}
