using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace MailerQ.Www.Auth.Sessions;

/// <summary>
/// Remembers recent Basic-auth successes for <see cref="Lifetime"/>, so a script or Prometheus sending
/// <c>Authorization: Basic</c> on every request does not cost an LDAP bind, a PAM delay or a bcrypt each
/// time. Only successes are kept (a failure must always reach the throttle and the backends). The key is
/// HMAC-SHA-256 of <c>user NUL password</c> under a random per-process key: neither the password nor an
/// offline-crackable hash of it sits in memory. Entries expire absolutely (not on use), so a changed or
/// removed password stops working within one lifetime. Thread-safe.
/// </summary>
internal sealed class BasicAuthCache
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(60);

    /// <summary>Bound on entries; a console has few scripted clients.</summary>
    public const int MaxEntries = 1024;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<Digest256, CachedLogin> _entries = new();
    private readonly TimeProvider _time;

    public BasicAuthCache(TimeProvider? timeProvider = null, TimeSpan? lifetime = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        Lifetime = lifetime ?? DefaultLifetime;
    }

    public TimeSpan Lifetime { get; }

    public int Count => _entries.Count;

    /// <summary>The cached success for exactly this user name and password, if still fresh.</summary>
    public bool TryGet(string userName, string password, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CachedLogin? login)
    {
        login = null;
        var key = Key(userName, password);
        if (!_entries.TryGetValue(key, out var found))
            return false;
        if (_time.GetUtcNow() >= found.Expires)
        {
            _entries.TryRemove(new KeyValuePair<Digest256, CachedLogin>(key, found));
            return false;
        }
        login = found;
        return true;
    }

    /// <summary>Remembers a success.</summary>
    public void Add(string userName, string password, string scheme)
    {
        var now = _time.GetUtcNow();
        if (_entries.Count >= MaxEntries)
        {
            foreach (var pair in _entries)
            {
                if (now >= pair.Value.Expires)
                    _entries.TryRemove(pair);
            }
            if (_entries.Count >= MaxEntries)
                _entries.Clear();
        }
        _entries[Key(userName, password)] = new CachedLogin(userName, scheme, now + Lifetime);
    }

    /// <summary>Forgets everything (auth configuration reloaded).</summary>
    public void Clear() => _entries.Clear();

    private Digest256 Key(string userName, string password)
    {
        int length = Encoding.UTF8.GetByteCount(userName) + 1 + Encoding.UTF8.GetByteCount(password);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            int n = Encoding.UTF8.GetBytes(userName, buffer);
            buffer[n++] = 0;
            n += Encoding.UTF8.GetBytes(password, buffer.AsSpan(n));
            Span<byte> mac = stackalloc byte[32];
            HMACSHA256.HashData(_key, buffer.AsSpan(0, n), mac);
            return new Digest256(mac);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }
}
