using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Auth.Users;

/// <summary>
/// <c>users://user1,mailerq,client*</c>: Linux accounts (management-console.md "linux users"). The name
/// must match one entry (exact or glob) and be a plain account name; only then is PAM asked (through
/// <see cref="PamAuthenticator"/>), so names outside the list never reach PAM or its logs and cost no
/// 3-second failure delay.
/// </summary>
internal sealed class UsersAuthBackend : IAuthBackend
{
    public const string SchemeName = "users";

    /// <summary>useradd's limit on name length (shadow-utils: 32 characters).</summary>
    public const int MaxAccountNameLength = 32;

    private readonly UserNamePattern[] _patterns;
    private readonly PamAuthenticator _pam;

    public UsersAuthBackend(IReadOnlyList<UserNamePattern> patterns, PamAuthenticator pam)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        ArgumentNullException.ThrowIfNull(pam);
        _patterns = [.. patterns];
        _pam = pam;
    }

    public string Scheme => SchemeName;

    /// <summary>The PAM service used.</summary>
    public string PamService => _pam.Service;

    /// <summary>The entries of the list, in order.</summary>
    public IReadOnlyList<UserNamePattern> Patterns => _patterns;

    public ValueTask<AuthResult> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken)
    {
        if (!IsAccountName(userName) || !IsListed(userName))
            return ValueTask.FromResult(new AuthResult(AuthOutcome.Rejected, SchemeName, "user not in the users:// list"));
        return _pam.AuthenticateAsync(userName, password, cancellationToken);
    }

    /// <summary>True when one entry matches.</summary>
    public bool IsListed(string userName)
    {
        foreach (var pattern in _patterns)
        {
            if (pattern.Matches(userName))
                return true;
        }
        return false;
    }

    /// <summary>
    /// The POSIX portable user name (IEEE Std 1003.1 section 3.437: letters, digits, <c>. _ -</c>, not starting
    /// with <c>-</c>) plus Samba's trailing <c>$</c>, at most 32 characters. A glob like <c>client*</c> must not
    /// let "client/../x" or a name with spaces through to PAM.
    /// </summary>
    public static bool IsAccountName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > MaxAccountNameLength || name[0] == '-')
            return false;
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
                continue;
            if (c == '$' && i == name.Length - 1 && i > 0)
                continue;
            return false;
        }
        return true;
    }

    /// <summary>Parses <c>users://a,b,c*</c>.</summary>
    public static UsersAuthBackend? Create(ConfigEntry entry, ConfigDiagnostics diagnostics, string pamService, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (!AuthUrl.TrySplit(entry.Value, out _, out string rest) || rest.Length == 0)
        {
            diagnostics.Error(entry.Origin, entry.Key, "users: expected users://name[,name…] (names may use * and ?)");
            return null;
        }
        var patterns = new List<UserNamePattern>();
        bool ok = true;
        foreach (var range in rest.AsSpan().Split(','))
        {
            var item = rest.AsSpan()[range].Trim();
            // A pattern is an account name in which * and ? stand for characters.
            bool valid = !item.IsEmpty && item.Length <= MaxAccountNameLength && item[0] != '-';
            foreach (char c in item)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '$' or '*' or '?'))
                    valid = false;
            }
            if (!valid)
            {
                diagnostics.Error(entry.Origin, entry.Key, $"users: {Core.Logging.Log.Quote(item.ToString())} is not an account name or glob (letters, digits, . _ - $, * and ?)");
                ok = false;
                continue;
            }
            patterns.Add(new UserNamePattern(item.ToString()));
        }
        if (!ok)
            return null;
        if (!Native.LibPam.IsAvailable)
        {
            diagnostics.Error(entry.Origin, entry.Key, "users: libpam.so.0 (Debian package libpam0g) is not available");
            return null;
        }
        // Without its own file PAM silently uses /etc/pam.d/other; say so, a typo in www-pam-service is likely.
        if (!pamService.Contains('/', StringComparison.Ordinal) && !File.Exists(Path.Combine("/etc/pam.d", pamService)))
            diagnostics.Warning(entry.Origin, entry.Key, $"users: PAM service {Core.Logging.Log.Quote(pamService)} has no /etc/pam.d/{pamService}; PAM uses the \"other\" service instead");
        if (pamService.Contains('/', StringComparison.Ordinal) || pamService.Length == 0)
        {
            diagnostics.Error(entry.Origin, entry.Key, $"users: PAM service name {Core.Logging.Log.Quote(pamService)} must be a file name in /etc/pam.d");
            return null;
        }
        return new UsersAuthBackend(patterns, new PamAuthenticator(pamService, timeProvider));
    }
}
