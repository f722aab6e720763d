namespace MailerQ.Www.Auth.Ldap;

/// <summary>Bounds of an LDAP login attempt.</summary>
internal static class LdapLimits
{
    /// <summary>
    /// The whole attempt (connect, TLS, StartTLS, bind) gives up after this. CONTRACT.md "Mail": a login
    /// attempt gives up within 10 s in total; 1 s is left for closing and for the caller's own work.
    /// </summary>
    public static readonly TimeSpan AttemptBudget = TimeSpan.FromSeconds(9);

    /// <summary>
    /// Largest response accepted. A BindResponse is a result code and two short strings (RFC 4511 §4.2.2);
    /// 16 KiB leaves room for long diagnostic messages and referrals and keeps a hostile server from making
    /// us buffer without bound.
    /// </summary>
    public const int MaxResponseBytes = 16 * 1024;

    /// <summary>Longest server diagnostic message kept for the log.</summary>
    public const int MaxDiagnosticChars = 256;

    /// <summary>
    /// Longest user name, in UTF-8 bytes, sent to a server. Directory naming attributes rarely allow more
    /// than 256 (OpenLDAP's uid is 256 characters in cosine.schema); longer names are refused unsent.
    /// </summary>
    public const int MaxUserNameBytes = 256;

    /// <summary>Longest password, in UTF-8 bytes, sent to a server (no directory stores longer secrets).</summary>
    public const int MaxPasswordBytes = 1024;
}
