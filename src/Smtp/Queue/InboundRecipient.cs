namespace MailerQ.Www.Smtp.Queue;

/// <summary>One accepted RCPT with its DSN parameters (RFC 3461).</summary>
internal sealed record InboundRecipient(string Address, string? Notify, string? OriginalRecipient);
