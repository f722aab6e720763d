using System.Net;
using System.Net.Sockets;

namespace MailerQ.Www.Auth.Sessions;

/// <summary>
/// Brute-force limits (CONTRACT.md): after <see cref="MaxFailures"/> failed logins for one user name, or
/// from one client address, within <see cref="Window"/>, further attempts for that name or from that
/// address are refused (429 with <c>Retry-After</c>) without asking any backend, until the oldest of those
/// failures is a window old. A success resets the user name's count only: resetting the address too
/// would let an attacker who knows one password clear the way for guessing others. User names are
/// counted case-insensitively (LDAP compares them so); IPv6 clients are counted per /64, the smallest
/// block an ISP hands out (RFC 6177), since one host can use a whole /64. Thread-safe; time from the
/// injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed class LoginThrottle
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    /// <summary>Bound on tracked names and addresses each; past it, stale entries are dropped first.</summary>
    public const int MaxTracked = 100_000;

    private readonly Dictionary<string, FailureWindow> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FailureWindow> _addresses = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;

    public LoginThrottle(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>May this user name, from this address, try to log in now?</summary>
    public ThrottleDecision Check(string? userName, IPAddress? client)
    {
        var now = _time.GetUtcNow();
        TimeSpan wait = TimeSpan.Zero;
        lock (_gate)
        {
            if (userName is not null && _users.TryGetValue(UserKey(userName), out var byUser))
                wait = byUser.LockedFor(now, Window);
            if (client is not null && _addresses.TryGetValue(AddressKey(client), out var byAddress))
            {
                var w = byAddress.LockedFor(now, Window);
                if (w > wait) wait = w;
            }
        }
        return wait > TimeSpan.Zero ? new ThrottleDecision(false, wait) : ThrottleDecision.Allow;
    }

    /// <summary>Counts a refused login against the user name and the address.</summary>
    public void RecordFailure(string? userName, IPAddress? client)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (userName is not null)
                Add(_users, UserKey(userName), now);
            if (client is not null)
                Add(_addresses, AddressKey(client), now);
        }
    }

    /// <summary>A login succeeded: the user name starts with a clean slate.</summary>
    public void RecordSuccess(string? userName)
    {
        if (userName is null) return;
        lock (_gate)
            _users.Remove(UserKey(userName));
    }

    private static void Add(Dictionary<string, FailureWindow> table, string key, DateTimeOffset now)
    {
        if (!table.TryGetValue(key, out var window))
        {
            if (table.Count >= MaxTracked)
                Prune(table, now);
            window = new FailureWindow();
            table[key] = window;
        }
        window.Add(now);
    }

    private static void Prune(Dictionary<string, FailureWindow> table, DateTimeOffset now)
    {
        var stale = new List<string>();
        foreach (var (key, window) in table)
        {
            if (now - window.Newest >= Window)
                stale.Add(key);
        }
        foreach (var key in stale)
            table.Remove(key);
        // Every entry is fresh: an attack from more addresses than this is beyond what counting can stop,
        // and memory must stay bounded, so start over rather than grow.
        if (table.Count >= MaxTracked)
            table.Clear();
    }

    private static string UserKey(string userName) => userName.ToLowerInvariant();

    internal static string AddressKey(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}
