namespace MailerQ.Www.Auth;

/// <summary>
/// One <c>www-auth</c> (or <c>smtp-auth</c>) line: a scheme that checks a user name and password.
/// Implementations never throw for a bad password or an unreachable server: they answer
/// <see cref="AuthOutcome.Rejected"/> or <see cref="AuthOutcome.Error"/>, within their own time budget.
/// </summary>
internal interface IAuthBackend
{
    /// <summary>The URL scheme, e.g. <c>ldap</c>, for logs and metrics.</summary>
    string Scheme { get; }

    /// <summary>Checks the credentials.</summary>
    ValueTask<AuthResult> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken);
}
