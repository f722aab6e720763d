using System.Net;

namespace MailerQ.Www.Smtp;

/// <summary>
/// Checks AUTH PLAIN/LOGIN credentials (the host adapts the <c>smtp-auth</c> scheme chain from src/Auth).
/// Returns false for refused credentials and unreachable backends alike; the session answers 535 either way.
/// </summary>
internal interface ISmtpAuthenticator
{
    ValueTask<bool> AuthenticateAsync(string userName, string password, IPEndPoint remote, CancellationToken ct);
}
