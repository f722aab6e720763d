using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace MailerQ.Www.Auth.Sessions;

/// <summary>
/// Console sessions (CONTRACT.md "Login and sessions"). Ids are 256 bits from the CSPRNG in base64url (the
/// contract asks for ≥ 128); the table is keyed by SHA-256 of the id, so a memory dump or a log of the
/// table yields no usable cookie. A session ends after <see cref="IdleTimeout"/> without requests or
/// <see cref="AbsoluteLifetime"/> after login, whichever comes first (OWASP Session Management Cheat
/// Sheet: idle 15-30 min, absolute 4-8 h for ordinary, longer for a console left open all day). Time
/// comes from the injected <see cref="TimeProvider"/>. Thread-safe.
/// </summary>
internal sealed class SessionStore
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromHours(12);

    /// <summary>Random bytes in a session id and in a CSRF token.</summary>
    public const int TokenBytes = 32;

    /// <summary>Length of a token in base64url without padding.</summary>
    public const int TokenChars = 43;

    /// <summary>
    /// Bound on live sessions, so logging in in a loop cannot exhaust memory; a console has a handful of
    /// operators. When full, expired sessions go first, then the longest idle one.
    /// </summary>
    public const int MaxSessions = 10_000;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<Digest256, Session> _sessions = new();
    private readonly TimeProvider _time;
    private readonly Lock _sweepGate = new();
    private DateTimeOffset _nextSweep;

    public SessionStore(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _nextSweep = _time.GetUtcNow() + SweepInterval;
    }

    /// <summary>Live (and not yet swept) sessions.</summary>
    public int Count => _sessions.Count;

    /// <summary>Starts a session for a login that a backend accepted.</summary>
    public NewSession Create(string user, string scheme)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        var now = _time.GetUtcNow();
        MaybeSweep(now);
        if (_sessions.Count >= MaxSessions)
            MakeRoom();

        string id = NewToken();
        var session = new Session(user, scheme, NewToken(), now);
        // 256 random bits never collide in practice; TryAdd keeps the table sound regardless.
        while (!_sessions.TryAdd(Key(id), session))
            id = NewToken();
        return new NewSession(id, session.Csrf, session);
    }

    /// <summary>The live session for a cookie value, refreshing its idle timer; false when unknown, malformed or expired.</summary>
    public bool TryGet(string? sessionId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Session? session)
    {
        session = null;
        if (!IsWellFormed(sessionId))
            return false;
        var key = Key(sessionId!);
        if (!_sessions.TryGetValue(key, out var found))
            return false;
        var now = _time.GetUtcNow();
        if (IsExpired(found, now))
        {
            _sessions.TryRemove(new KeyValuePair<Digest256, Session>(key, found));
            return false;
        }
        found.Touch(now);
        session = found;
        return true;
    }

    /// <summary>Logout: forgets the session. True when it existed.</summary>
    public bool Remove(string? sessionId) =>
        IsWellFormed(sessionId) && _sessions.TryRemove(Key(sessionId!), out _);

    /// <summary>Logs everybody out (the <c>www-auth</c> configuration changed on SIGHUP).</summary>
    public void RemoveAll() => _sessions.Clear();

    /// <summary>Drops expired sessions; returns how many.</summary>
    public int RemoveExpired()
    {
        var now = _time.GetUtcNow();
        int removed = 0;
        foreach (var pair in _sessions)
        {
            if (IsExpired(pair.Value, now) && _sessions.TryRemove(pair))
                removed++;
        }
        return removed;
    }

    private static bool IsExpired(Session session, DateTimeOffset now) =>
        now - session.LastSeen >= IdleTimeout || now - session.CreatedAt >= AbsoluteLifetime;

    private void MaybeSweep(DateTimeOffset now)
    {
        if (now < _nextSweep || !_sweepGate.TryEnter())
            return;
        try
        {
            _nextSweep = now + SweepInterval;
            RemoveExpired();
        }
        finally
        {
            _sweepGate.Exit();
        }
    }

    private void MakeRoom()
    {
        if (RemoveExpired() > 0 && _sessions.Count < MaxSessions)
            return;
        KeyValuePair<Digest256, Session>? oldest = null;
        foreach (var pair in _sessions)
        {
            if (oldest is null || pair.Value.LastSeen < oldest.Value.Value.LastSeen)
                oldest = pair;
        }
        if (oldest is { } victim)
            _sessions.TryRemove(victim);
    }

    /// <summary>Only the exact shape Create hands out is looked up: 43 base64url characters.</summary>
    private static bool IsWellFormed(string? token)
    {
        if (token is null || token.Length != TokenChars)
            return false;
        foreach (char c in token)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                return false;
        }
        return true;
    }

    internal static string NewToken()
    {
        Span<byte> bytes = stackalloc byte[TokenBytes];
        RandomNumberGenerator.Fill(bytes);
        return System.Buffers.Text.Base64Url.EncodeToString(bytes);
    }

    private static Digest256 Key(string sessionId)
    {
        Span<byte> ascii = stackalloc byte[TokenChars];
        int n = Encoding.ASCII.GetBytes(sessionId, ascii);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(ascii[..n], hash);
        return new Digest256(hash);
    }
}
