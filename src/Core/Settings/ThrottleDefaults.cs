namespace MailerQ.Www.Core.Settings;

/// <summary>
/// What a limit is when no matching throttle sets it (docs/settings.md "Built-in defaults"). MailerQ 5.x
/// documents no numbers (its 3.0 config keys had none either), so these follow common MTA practice:
/// rates unlimited (receivers that care say so and a throttle is added), at most 20 simultaneous
/// connections per domain (Postfix's <c>default_destination_concurrency_limit</c>, Exchange's
/// <c>MaxPerDomainOutboundConnections</c>), idle connections bounded only by that, 100 messages per
/// connection before a fresh one, and 10 s of idleness before a connection is closed.
/// </summary>
internal static class ThrottleDefaults
{
    public const int DomainMessagesPerMinute = 0;
    public const int DomainConnectsPerMinute = 0;
    public const int DomainMaxActive = 20;
    public const int DomainMaxIdle = 0;
    public const int IpMessagesPerMinute = 0;
    public const int IpConnectsPerMinute = 0;
    public const int IpMaxActive = 0;
    public const int IpMaxIdle = 0;
    public const int ConnectionMaxMessages = 100;
    public const int ConnectionIdleSeconds = 10;

    public static int Get(ThrottleLimit limit) => limit switch
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
