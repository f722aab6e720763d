namespace MailerQ.Www.Auth;

/// <summary>
/// A backend's answer. <see cref="Detail"/> is for the operator's log only (why it failed); it is never
/// shown to the person logging in, who always sees the same "invalid credentials".
/// </summary>
internal readonly record struct AuthResult(AuthOutcome Outcome, string Scheme, string? Detail = null)
{
    /// <summary>True when the credentials were accepted.</summary>
    public bool Accepted => Outcome == AuthOutcome.Accepted;
}
