using System.Text;
using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Auth.Crypt;

/// <summary>
/// The parsed contents of a <c>file://</c> password file: <c>user:hash</c> lines, <c>#</c> comments and
/// blank lines ignored (management-console.md: "like /etc/passwd"). Anything after a second <c>:</c> is
/// ignored, so <c>/etc/shadow</c>-style lines (<c>user:hash:19000:0:…</c>) work too. Immutable: a reload
/// builds a new one.
/// </summary>
internal sealed class PasswordFile
{
    private readonly Dictionary<string, PasswordEntry> _users;

    private PasswordFile(Dictionary<string, PasswordEntry> users, List<PasswordFileFinding> findings)
    {
        _users = users;
        Findings = findings;
        // Unknown users are checked against a real hash from the file, so they cost the same as a
        // known user with a wrong password (same format, same cost parameters).
        foreach (var entry in users.Values)
        {
            if (entry.Format != CryptFormat.Disabled)
            {
                Dummy = entry;
                break;
            }
        }
    }

    /// <summary>Number of users.</summary>
    public int Count => _users.Count;

    /// <summary>Problems found, in line order.</summary>
    public IReadOnlyList<PasswordFileFinding> Findings { get; }

    /// <summary>True when a finding is an error.</summary>
    public bool HasErrors
    {
        get
        {
            foreach (var f in Findings)
                if (f.Severity == ConfigSeverity.Error) return true;
            return false;
        }
    }

    /// <summary>A usable entry to burn the same time on for unknown users, or null when the file has none.</summary>
    public PasswordEntry? Dummy { get; }

    /// <summary>The entry of <paramref name="user"/> (case-sensitive, as in /etc/passwd).</summary>
    public bool TryGet(string user, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PasswordEntry? entry) =>
        _users.TryGetValue(user, out entry);

    /// <summary>Parses the text of a password file. Bad lines are left out and reported; good ones are kept.</summary>
    public static PasswordFile Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var users = new Dictionary<string, PasswordEntry>(StringComparer.Ordinal);
        var findings = new List<PasswordFileFinding>();
        int lineNumber = 0;
        foreach (var range in text.AsSpan().Split('\n'))
        {
            lineNumber++;
            var line = text.AsSpan()[range].TrimEnd('\r').Trim();
            if (line.IsEmpty || line[0] == '#')
                continue;

            int colon = line.IndexOf(':');
            if (colon <= 0)
            {
                findings.Add(new(ConfigSeverity.Error, lineNumber, colon == 0 ? "empty user name" : "expected user:hash"));
                continue;
            }
            string user = line[..colon].ToString();
            var hashPart = line[(colon + 1)..];
            int extra = hashPart.IndexOf(':');
            if (extra >= 0) hashPart = hashPart[..extra];
            string hash = hashPart.Trim().ToString();

            if (!CredentialRules.IsAcceptableUserName(user) || user.AsSpan().IndexOfAny(' ', '\t') >= 0)
            {
                findings.Add(new(ConfigSeverity.Error, lineNumber, "unusable user name (white space or control characters)"));
                continue;
            }
            if (!CryptHash.TryClassify(hash, out var format, out string? problem))
            {
                findings.Add(new(ConfigSeverity.Error, lineNumber, $"user {Core.Logging.Log.Quote(user)}: {problem}"));
                continue;
            }
            if (users.TryGetValue(user, out var first))
            {
                findings.Add(new(ConfigSeverity.Error, lineNumber, $"user {Core.Logging.Log.Quote(user)} is already defined at line {first.Line}"));
                continue;
            }
            if (format is CryptFormat.Md5 or CryptFormat.Apr1)
            {
                findings.Add(new(ConfigSeverity.Warning, lineNumber,
                    $"user {Core.Logging.Log.Quote(user)}: {(format == CryptFormat.Md5 ? "$1$" : "$apr1$")} MD5 crypt is weak; replace it with a $y$, $6$ or bcrypt hash (mailerq hash-password)"));
            }
            users.Add(user, new PasswordEntry(hash, format, lineNumber));
        }
        return new PasswordFile(users, findings);
    }

    /// <summary>Reads and parses <paramref name="path"/>; an I/O problem is an exception for the caller to report.</summary>
    public static PasswordFile Load(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length > AuthLimits.MaxPasswordFileBytes)
            throw new IOException($"larger than {AuthLimits.MaxPasswordFileBytes / (1024 * 1024)} MiB");
        using var reader = new StreamReader(stream, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: true);
        return Parse(reader.ReadToEnd());
    }
}
