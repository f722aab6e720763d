namespace MailerQ.Www.Auth;

/// <summary>What one backend said about a user name and password.</summary>
internal enum AuthOutcome : byte
{
    /// <summary>The credentials are good.</summary>
    Accepted,
    /// <summary>The backend answered: not these credentials.</summary>
    Rejected,
    /// <summary>The backend could not answer (down, timeout, bad reply). Counts as "no"; the next backend is tried.</summary>
    Error,
}
