namespace MailerQ.Www.Core.Settings;

/// <summary>
/// A local email address pattern (MailerQ's table <c>locals</c>): inbound mail to a matching recipient goes
/// to <c>rabbitmq-local</c> instead of the inbox, and is accepted without authentication (4.4/mgmt-local.md).
/// </summary>
internal sealed record LocalAddress(long Id, string Pattern, PatternType Type);
