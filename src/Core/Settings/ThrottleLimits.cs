namespace MailerQ.Www.Core.Settings;

/// <summary>
/// The values one throttle sets. <c>null</c> = "Not set (fallback to base setting)" as MailerQ's editor
/// says: the next lower-priority matching throttle decides, then the built-in default. <c>0</c> = unlimited.
/// </summary>
internal sealed record ThrottleLimits
{
    public int? DomainMessagesPerMinute { get; init; }
    public int? DomainConnectsPerMinute { get; init; }
    public int? DomainMaxActive { get; init; }
    public int? DomainMaxIdle { get; init; }
    public int? IpMessagesPerMinute { get; init; }
    public int? IpConnectsPerMinute { get; init; }
    public int? IpMaxActive { get; init; }
    public int? IpMaxIdle { get; init; }
    public int? ConnectionMaxMessages { get; init; }
    public int? ConnectionIdleSeconds { get; init; }

    /// <summary>Nothing set: every limit cascades.</summary>
    public static ThrottleLimits None { get; } = new();

    /// <summary>Number of limits (<see cref="ThrottleLimit"/> values).</summary>
    public const int Count = 10;

    public int? Get(ThrottleLimit limit) => limit switch
    {
        ThrottleLimit.DomainMessagesPerMinute => DomainMessagesPerMinute,
        ThrottleLimit.DomainConnectsPerMinute => DomainConnectsPerMinute,
        ThrottleLimit.DomainMaxActive => DomainMaxActive,
        ThrottleLimit.DomainMaxIdle => DomainMaxIdle,
        ThrottleLimit.IpMessagesPerMinute => IpMessagesPerMinute,
        ThrottleLimit.IpConnectsPerMinute => IpConnectsPerMinute,
        ThrottleLimit.IpMaxActive => IpMaxActive,
        ThrottleLimit.IpMaxIdle => IpMaxIdle,
        ThrottleLimit.ConnectionMaxMessages => ConnectionMaxMessages,
        ThrottleLimit.ConnectionIdleSeconds => ConnectionIdleSeconds,
        _ => throw new ArgumentOutOfRangeException(nameof(limit)),
    };
}
