namespace MailerQ.Www.Auth;

/// <summary>Bounds and time budgets of the login path, with where each number comes from.</summary>
internal static class AuthLimits
{
    /// <summary>
    /// Longest user name any backend is asked about. Linux caps names at 32 (useradd), LDAP RDN values
    /// and RADIUS User-Name (RFC 2865 section 5.1: 253 octets) stay under it; longer input is refused
    /// before a backend sees it.
    /// </summary>
    public const int MaxUserNameLength = 253;

    /// <summary>
    /// Longest password in bytes of UTF-8: libxcrypt refuses phrases of 512 bytes and more
    /// (CRYPT_MAX_PASSPHRASE_SIZE in crypt.h), and SHA-crypt's cost grows with the length, so a
    /// megabyte "password" must not reach a hash function.
    /// </summary>
    public const int MaxPasswordBytes = 511;

    /// <summary>CONTRACT.md "Mail": an HTTP login attempt gives up within 10 s; the issue asks for 5 s.</summary>
    public static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(5);

    /// <summary>CONTRACT.md "Mail": exec gives up within 10 s.</summary>
    public static readonly TimeSpan ExecTimeout = TimeSpan.FromSeconds(10);

    /// <summary>PAM has no budget of its own in the contract; 10 s matches the network backends.</summary>
    public static readonly TimeSpan PamTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Safety net for backends that ignore their own budget (the chain's, not the contract's): a
    /// little over the longest budget above, so a correct backend always answers first.
    /// </summary>
    public static readonly TimeSpan BackendSafetyTimeout = TimeSpan.FromSeconds(12);

    /// <summary>Bytes of an exec program's stdout and of its stderr kept for the log; the rest is read and dropped.</summary>
    public const int ExecOutputBytes = 4096;

    /// <summary>A password file is re-checked for changes at most this often.</summary>
    public static readonly TimeSpan PasswordFileRecheck = TimeSpan.FromSeconds(1);

    /// <summary>Largest password file read: 100,000 bcrypt lines are about 8 MiB.</summary>
    public const long MaxPasswordFileBytes = 16 * 1024 * 1024;

    /// <summary>PAM logins running at once; each holds a thread for up to 3 s (pam_faildelay in Debian's login).</summary>
    public const int MaxConcurrentPam = 4;
}
