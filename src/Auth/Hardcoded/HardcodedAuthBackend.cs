using System.Security.Cryptography;
using System.Text;
using MailerQ.Www.Core.Config;
using MailerQ.Www.Core.Logging;

namespace MailerQ.Www.Auth.Hardcoded;

/// <summary>
/// <c>hardcoded://user:pass,user2:pass2</c> (management-console.md) and the pre-5.12 <c>www-password</c>.
/// Passwords are kept only as HMAC-SHA-256 digests under a per-process random key and compared with
/// <see cref="CryptographicOperations.FixedTimeEquals"/> on digests of equal length, so neither the length
/// nor a common prefix of the password shows in the timing. An unknown user is compared against a dummy
/// digest, so the work is the same as for a known one.
/// </summary>
internal sealed class HardcodedAuthBackend : IAuthBackend
{
    public const string SchemeName = "hardcoded";

    /// <summary>The user name <c>www-password</c> logs in as (management-console.md before 5.12).</summary>
    public const string LegacyUser = "admin";

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly Dictionary<string, byte[]> _digests = new(StringComparer.Ordinal);
    private readonly byte[] _dummy;

    public HardcodedAuthBackend(IEnumerable<KeyValuePair<string, string>> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        foreach (var (user, password) in users)
            _digests[user] = Digest(password);
        _dummy = Digest(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));
    }

    public string Scheme => SchemeName;

    /// <summary>The user names, for tests and diagnostics.</summary>
    public IReadOnlyCollection<string> Users => _digests.Keys;

    public ValueTask<AuthResult> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken)
    {
        bool known = _digests.TryGetValue(userName, out var expected);
        byte[] actual = Digest(password);
        bool match = CryptographicOperations.FixedTimeEquals(actual, expected ?? _dummy);
        return ValueTask.FromResult(known && match
            ? new AuthResult(AuthOutcome.Accepted, SchemeName)
            : new AuthResult(AuthOutcome.Rejected, SchemeName, known ? "wrong password" : "unknown user"));
    }

    /// <summary>Parses <c>hardcoded://…</c>; problems go to <paramref name="diagnostics"/> and give null.</summary>
    public static HardcodedAuthBackend? Create(ConfigEntry entry, ConfigDiagnostics diagnostics)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (!AuthUrl.TrySplit(entry.Value, out _, out string rest) || rest.Length == 0)
        {
            diagnostics.Error(entry.Origin, entry.Key, "hardcoded: expected hardcoded://user:password[,user2:password2…]");
            return null;
        }

        var users = new List<KeyValuePair<string, string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool ok = true;
        int index = 0;
        foreach (var range in rest.AsSpan().Split(','))
        {
            index++;
            var item = rest.AsSpan(range.Start.Value, range.End.Value - range.Start.Value);
            int colon = item.IndexOf(':');
            // Messages name the position, never the text: it may be a password (the reference's own
            // example "user:pass,user2,pass2" puts one where a user belongs).
            if (colon < 0)
            {
                diagnostics.Error(entry.Origin, entry.Key, $"hardcoded: entry {index} has no ':' between user and password (write user:password, with %3A for ':' and %2C for ',')");
                ok = false;
                continue;
            }
            if (!PercentDecoding.TryDecode(item[..colon], out string user, out string? userProblem)
                || !PercentDecoding.TryDecode(item[(colon + 1)..], out string password, out userProblem))
            {
                diagnostics.Error(entry.Origin, entry.Key, $"hardcoded: entry {index}: {userProblem}");
                ok = false;
                continue;
            }
            if (!CredentialRules.IsAcceptableUserName(user))
            {
                diagnostics.Error(entry.Origin, entry.Key, $"hardcoded: entry {index} has an empty or unusable user name");
                ok = false;
            }
            else if (!CredentialRules.IsAcceptablePassword(password))
            {
                diagnostics.Error(entry.Origin, entry.Key, $"hardcoded: user {Log.Quote(user)} has an empty or unusable password (no NUL, CR or LF; at most {AuthLimits.MaxPasswordBytes} bytes)");
                ok = false;
            }
            else if (!seen.Add(user))
            {
                diagnostics.Error(entry.Origin, entry.Key, $"hardcoded: user {Log.Quote(user)} is listed twice");
                ok = false;
            }
            else
            {
                users.Add(new(user, password));
            }
        }
        if (!ok)
            return null;

        diagnostics.Warning(entry.Origin, entry.Key, "hardcoded: passwords are kept in plain text in the configuration; prefer file:// with hashes (mailerq hash-password)");
        return new HardcodedAuthBackend(users);
    }

    /// <summary>The pre-5.12 <c>www-password</c>: one user, <see cref="LegacyUser"/>, taken verbatim (no percent-decoding).</summary>
    public static HardcodedAuthBackend CreateLegacy(string password)
    {
        Log.Warning("auth", "www-password keeps the admin password in plain text; prefer www-auth: file:// with a hash (mailerq hash-password)");
        return new HardcodedAuthBackend([new(LegacyUser, password)]);
    }

    private byte[] Digest(string password)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(password);
        try
        {
            return HMACSHA256.HashData(_key, bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
