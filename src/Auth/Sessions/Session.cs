using System.Security.Cryptography;
using System.Text;

namespace MailerQ.Www.Auth.Sessions;

/// <summary>
/// One logged-in browser. The session id itself is not kept (only its hash is the table key); the CSRF
/// token is, because <c>/api/whoami</c> hands it back to the page.
/// </summary>
internal sealed class Session
{
    private long _lastSeenTicks;

    public Session(string user, string scheme, string csrf, DateTimeOffset createdAt)
    {
        User = user;
        Scheme = scheme;
        Csrf = csrf;
        CreatedAt = createdAt;
        _lastSeenTicks = createdAt.UtcTicks;
    }

    /// <summary>The user name as typed at login.</summary>
    public string User { get; }

    /// <summary>The <c>www-auth</c> scheme that accepted the login.</summary>
    public string Scheme { get; }

    /// <summary>The token every state-changing request must echo in <c>X-CSRF-Token</c>.</summary>
    public string Csrf { get; }

    /// <summary>Login time; the absolute lifetime counts from here.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Last request; the idle timeout counts from here.</summary>
    public DateTimeOffset LastSeen => new(Interlocked.Read(ref _lastSeenTicks), TimeSpan.Zero);

    internal void Touch(DateTimeOffset now) => Interlocked.Exchange(ref _lastSeenTicks, now.UtcTicks);

    /// <summary>Fixed-time comparison of a presented CSRF token with this session's.</summary>
    public bool CsrfMatches(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length != Csrf.Length)
            return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(token), Encoding.ASCII.GetBytes(Csrf));
    }
}
