namespace MailerQ.Www.Core.Settings;

/// <summary>
/// The limits a throttle (MailerQ's "capacity") can set, in the order of MailerQ's throttle editor:
/// per target domain, per remote IP, per connection (UG/email-throttling.md).
/// </summary>
internal enum ThrottleLimit
{
    DomainMessagesPerMinute,
    DomainConnectsPerMinute,
    DomainMaxActive,
    DomainMaxIdle,
    IpMessagesPerMinute,
    IpConnectsPerMinute,
    IpMaxActive,
    IpMaxIdle,
    ConnectionMaxMessages,
    ConnectionIdleSeconds,
}
