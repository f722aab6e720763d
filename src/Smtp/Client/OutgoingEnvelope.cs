namespace MailerQ.Www.Smtp.Client;

/// <summary>One message transaction for <see cref="SmtpClientConnection.SendAsync"/>: MailerQ delivers one recipient per message.</summary>
/// <param name="MailFrom">The envelope sender; empty for the null reverse-path (bounces).</param>
/// <param name="RequiresSmtpUtf8">The message needs SMTPUTF8 (RFC 6531) even when both addresses are ASCII (UTF-8 headers).</param>
/// <param name="EightBit">The MIME has 8-bit octets: BODY=8BITMIME is sent when the peer offers it (RFC 6152).</param>
internal sealed record OutgoingEnvelope(string MailFrom, string Recipient, DsnRequest? Dsn = null, bool RequiresSmtpUtf8 = false, bool EightBit = false);
