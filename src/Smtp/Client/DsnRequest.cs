namespace MailerQ.Www.Smtp.Client;

/// <summary>
/// The outbox JSON's <c>dsn</c> object (RFC 3461): NOTIFY and ORCPT go on RCPT TO, RET and ENVID on MAIL FROM,
/// and only when the peer advertises DSN.
/// </summary>
/// <param name="Notify">NEVER, or a comma list of SUCCESS, FAILURE, DELAY.</param>
/// <param name="Ret">FULL or HDRS.</param>
/// <param name="Orcpt">The original recipient, <c>rfc822;addr</c> or just the address (then rfc822 is assumed).</param>
/// <param name="EnvId">The envelope id; sent as xtext.</param>
internal sealed record DsnRequest(string? Notify, string? Ret, string? Orcpt, string? EnvId);
