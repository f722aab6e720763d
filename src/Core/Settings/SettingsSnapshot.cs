using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace MailerQ.Www.Core.Settings;

/// <summary>
/// Every delivery setting in RAM, as MailerQ keeps "the whole database cached in memory" (5.13/database-access.md):
/// the delivery engine asks it per message and per connection instead of querying the database. Immutable; a new
/// one replaces it on every reload (<see cref="SettingsCache"/>), so readers need no locks.
/// </summary>
/// <remarks>
/// Matching rules (docs/settings.md): a pause or forced error field that is null, empty or <c>*</c> matches
/// everything; <c>mta</c> matches the local IP, <c>pool</c> matches when the local IP is in that pool,
/// <c>domain</c> compares case-insensitively, <c>ip</c> (remote) only matches a known remote IP, <c>tag</c> one
/// of the message's tags. When several match, the most specific wins: mta or ip count 2, pool, domain and tag
/// count 1; equal scores go to the oldest row.
/// </remarks>
internal sealed class SettingsSnapshot
{
    /// <summary>Stop memoising throttle resolutions beyond this many (local IP, domain) pairs; later ones are computed each time.</summary>
    private const int MaxMemoisedThrottles = 50_000;

    private readonly Throttle[] _throttles;
    private readonly Pause[] _pauses;
    private readonly ForcedError[] _errors;
    private readonly Dictionary<string, Suppression> _suppressedAddresses = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Suppression> _suppressedDomains = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _poolOfIp = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string[]> _poolIps = new(StringComparer.Ordinal);
    private readonly (LocalAddress Row, CompiledPattern Pattern)[] _locals;
    private readonly (DkimKey Key, CompiledPattern[] Patterns)[] _dkim;
    private readonly Dictionary<string, DnsOverride> _dns = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _mtaNames = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _mtaLabels = new(StringComparer.OrdinalIgnoreCase);
    private readonly ApiToken[] _tokens;
    private readonly ConcurrentDictionary<(string LocalIp, string Domain), EffectiveThrottle> _resolved = new();

    public SettingsSnapshot(long version, SettingsData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Version = version;
        Data = data;

        _throttles = [.. data.Throttles];
        // Higher priority first; equal priorities keep creation order so the result never flips between reloads.
        Array.Sort(_throttles, static (a, b) => a.Priority != b.Priority ? b.Priority.CompareTo(a.Priority) : a.Id.CompareTo(b.Id));
        // Rows another instance made for itself only ("Scope: Instance") never match here (issue 11 point 5).
        var pauses = new List<Pause>(data.Pauses.Count);
        foreach (var p in data.Pauses)
            if (AppliesHere(p.Cluster, p.Instance, data.LocalInstance)) pauses.Add(p);
        _pauses = [.. pauses];
        var errors = new List<ForcedError>(data.ForcedErrors.Count);
        foreach (var e in data.ForcedErrors)
            if (AppliesHere(e.Cluster, e.Instance, data.LocalInstance)) errors.Add(e);
        _errors = [.. errors];
        foreach (var s in data.Suppressions)
            (s.Type == SuppressionType.Domain ? _suppressedDomains : _suppressedAddresses)[s.Value] = s;
        foreach (var ip in data.PoolIps) _poolOfIp[ip.Ip] = ip.Name;
        foreach (var pool in data.Pools)
        {
            var ips = new List<string>();
            foreach (var ip in data.PoolIps)
                if (string.Equals(ip.Name, pool.Name, StringComparison.Ordinal)) ips.Add(ip.Ip);
            _poolIps[pool.Name] = [.. ips];
        }
        _locals = new (LocalAddress, CompiledPattern)[data.Locals.Count];
        for (int i = 0; i < _locals.Length; i++)
            _locals[i] = (data.Locals[i], CompiledPattern.Create(data.Locals[i].Pattern, data.Locals[i].Type));
        var keys = new List<DkimKey>(data.DkimKeys);
        keys.Sort(static (a, b) => a.Priority != b.Priority ? a.Priority.CompareTo(b.Priority) : a.Id.CompareTo(b.Id));
        _dkim = new (DkimKey, CompiledPattern[])[keys.Count];
        for (int i = 0; i < keys.Count; i++)
        {
            var patterns = new CompiledPattern[keys[i].Patterns.Count];
            for (int p = 0; p < patterns.Length; p++)
                patterns[p] = CompiledPattern.Create(keys[i].Patterns[p].Pattern, keys[i].Patterns[p].Type);
            _dkim[i] = (keys[i], patterns);
        }
        foreach (var d in data.DnsOverrides) _dns[d.Domain] = d;
        foreach (var m in data.MtaNames) _mtaNames[m.Ip] = m.Name;
        foreach (var m in data.MtaLabels) _mtaLabels[m.Ip] = m.Label;
        _tokens = [.. data.Tokens];
    }

    /// <summary>An empty snapshot (no database yet, tests).</summary>
    public static SettingsSnapshot Empty { get; } = new(0, new SettingsData());

    /// <summary>Grows with every load; two snapshots with the same version hold the same data.</summary>
    public long Version { get; }

    /// <summary>The rows as loaded, for listings (REST GET, console).</summary>
    public SettingsData Data { get; }

    /// <summary>Throttles in resolution order: higher priority first.</summary>
    public IReadOnlyList<Throttle> Throttles => _throttles;

    /// <summary>The pause that stops this delivery, or null. Expired pauses are ignored.</summary>
    public Pause? FindPause(string localIp, string domain, string? remoteIp, IReadOnlyList<string> tags, DateTimeOffset now)
    {
        Pause? best = null;
        int bestScore = -1;
        foreach (var p in _pauses)
        {
            if (p.Expire is { } expire && expire <= now) continue;
            int score = Score(p.Mta, p.Pool, p.Domain, p.Ip, p.Tag, localIp, domain, remoteIp, tags);
            if (score < 0) continue;
            if (score > bestScore || (score == bestScore && best is not null && p.Id < best.Id))
            {
                best = p;
                bestScore = score;
            }
        }
        return best;
    }

    /// <summary>The forced error this delivery gets instead of a real attempt, or null; the most specific wins.</summary>
    public ForcedError? FindForcedError(string localIp, string domain, string? remoteIp, IReadOnlyList<string> tags)
    {
        ForcedError? best = null;
        int bestScore = -1;
        foreach (var e in _errors)
        {
            int score = Score(e.Mta, e.Pool, e.Domain, e.Ip, e.Tag, localIp, domain, remoteIp, tags);
            if (score < 0) continue;
            if (score > bestScore || (score == bestScore && best is not null && e.Id < best.Id))
            {
                best = e;
                bestScore = score;
            }
        }
        return best;
    }

    /// <summary>The suppression for this recipient: the address itself (case-insensitive), else its domain.</summary>
    public Suppression? FindSuppression(string recipient)
    {
        if (_suppressedAddresses.Count > 0 && _suppressedAddresses.TryGetValue(recipient, out var byAddress)) return byAddress;
        if (_suppressedDomains.Count == 0) return null;
        int at = recipient.LastIndexOf('@');
        var domain = at < 0 ? recipient : recipient[(at + 1)..];
        return _suppressedDomains.GetValueOrDefault(domain);
    }

    /// <summary>
    /// Every limit for deliveries from <paramref name="localIp"/> to <paramref name="domain"/>: for each limit the
    /// highest-priority matching throttle that sets it, else <see cref="ThrottleDefaults"/>.
    /// </summary>
    public EffectiveThrottle ResolveThrottle(string localIp, string domain)
    {
        var key = (localIp, domain.ToLowerInvariant());
        if (_resolved.TryGetValue(key, out var cached)) return cached;
        var resolved = Resolve(localIp, key.Item2);
        if (_resolved.Count < MaxMemoisedThrottles) _resolved.TryAdd(key, resolved);
        return resolved;
    }

    private EffectiveThrottle Resolve(string localIp, string domain)
    {
        var values = new int[ThrottleLimits.Count];
        var sources = new string?[ThrottleLimits.Count];
        var set = new bool[ThrottleLimits.Count];
        int remaining = ThrottleLimits.Count;
        var pool = PoolOf(localIp);
        foreach (var t in _throttles)
        {
            if (remaining == 0) break;
            if (!ThrottleMatches(t, localIp, pool, domain)) continue;
            for (int i = 0; i < ThrottleLimits.Count; i++)
            {
                if (set[i] || t.Limits.Get((ThrottleLimit)i) is not int value) continue;
                values[i] = value;
                sources[i] = t.Name;
                set[i] = true;
                remaining--;
            }
        }
        for (int i = 0; i < ThrottleLimits.Count; i++)
            if (!set[i]) values[i] = ThrottleDefaults.Get((ThrottleLimit)i);
        return new EffectiveThrottle(values, sources);
    }

    private static bool ThrottleMatches(Throttle t, string localIp, string? pool, string domain)
    {
        if (t.Patterns.Count == 0) return true;
        foreach (var p in t.Patterns)
        {
            bool mta = IsWild(p.Mta) || string.Equals(p.Mta, localIp, StringComparison.OrdinalIgnoreCase)
                || (pool is not null && string.Equals(p.Mta, pool, StringComparison.Ordinal));
            if (mta && (IsWild(p.Domain) || string.Equals(p.Domain, domain, StringComparison.OrdinalIgnoreCase))) return true;
        }
        return false;
    }

    /// <summary>The local IPs of <paramref name="pool"/>; empty for an unknown pool.</summary>
    public IReadOnlyList<string> PoolIps(string pool) => _poolIps.TryGetValue(pool, out var ips) ? ips : [];

    /// <summary>The pool <paramref name="ip"/> is in, or null.</summary>
    public string? PoolOf(string ip) => _poolOfIp.GetValueOrDefault(ip);

    /// <summary>True when the address matches a local-address pattern (table <c>locals</c>).</summary>
    public bool IsLocal(string address)
    {
        foreach (var (_, pattern) in _locals)
            if (pattern.IsMatch(address)) return true;
        return false;
    }

    /// <summary>False when the database holds no DKIM keys: the delivery engine then skips reading the From header.</summary>
    public bool HasDkimKeys => _dkim.Length > 0;

    /// <summary>
    /// The keys that sign mail from <paramref name="fromDomain"/>, lower priority first: keys whose sign patterns
    /// match, or with no patterns, keys of that very domain. Expired keys are skipped.
    /// </summary>
    public IReadOnlyList<DkimKey> DkimKeysFor(string fromDomain, DateTimeOffset now)
    {
        List<DkimKey>? found = null;
        foreach (var (key, patterns) in _dkim)
        {
            if (key.Expire is { } expire && expire <= now) continue;
            bool match = patterns.Length == 0
                ? string.Equals(key.Domain, fromDomain, StringComparison.OrdinalIgnoreCase)
                : AnyMatch(patterns, fromDomain);
            if (match) (found ??= []).Add(key);
        }
        return found is null ? [] : found;
    }

    private static bool AnyMatch(CompiledPattern[] patterns, string value)
    {
        foreach (var p in patterns)
            if (p.IsMatch(value)) return true;
        return false;
    }

    /// <summary>The hosts that replace DNS for <paramref name="domain"/>, or null.</summary>
    public IReadOnlyList<string>? DnsOverride(string domain) => _dns.TryGetValue(domain, out var o) ? o.Hosts : null;

    /// <summary>The EHLO name for <paramref name="localIp"/>, or null (then reverse DNS decides).</summary>
    public string? MtaName(string localIp) => _mtaNames.GetValueOrDefault(localIp);

    /// <summary>The console's display name of a local IP, or null.</summary>
    public string? MtaLabel(string localIp) => _mtaLabels.GetValueOrDefault(localIp);

    /// <summary>
    /// The name of the API token <paramref name="token"/> is, comparing SHA-256 digests in fixed time against
    /// every stored token (no early exit), so timing says nothing about which or how many exist.
    /// </summary>
    public bool TryVerifyToken(ReadOnlySpan<byte> token, out string name)
    {
        name = "";
        if (token.IsEmpty || _tokens.Length == 0) return false;
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(token, digest);
        bool found = false;
        foreach (var t in _tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, t.Hash) && !found)
            {
                name = t.Name;
                found = true;
            }
        }
        return found;
    }

    /// <summary>How many pauses apply right now (the console's status bar of "intercepts").</summary>
    public int ActivePauseCount(DateTimeOffset now)
    {
        int n = 0;
        foreach (var p in _pauses)
            if (p.Expire is not { } expire || expire > now) n++;
        return n;
    }

    /// <summary>-1 when the row does not match, else how specific it is.</summary>
    private int Score(string? mta, string? pool, string? domain, string? ip, string? tag,
        string localIp, string targetDomain, string? remoteIp, IReadOnlyList<string> tags)
    {
        int score = 0;
        if (!IsWild(mta))
        {
            if (!string.Equals(mta, localIp, StringComparison.OrdinalIgnoreCase)) return -1;
            score += 2;
        }
        if (!IsWild(pool))
        {
            if (!string.Equals(pool, PoolOf(localIp), StringComparison.Ordinal)) return -1;
            score += 1;
        }
        if (!IsWild(domain))
        {
            if (!string.Equals(domain, targetDomain, StringComparison.OrdinalIgnoreCase)) return -1;
            score += 1;
        }
        if (!IsWild(ip))
        {
            if (remoteIp is null || !string.Equals(ip, remoteIp, StringComparison.OrdinalIgnoreCase)) return -1;
            score += 2;
        }
        if (!IsWild(tag))
        {
            bool has = false;
            for (int i = 0; i < tags.Count && !has; i++) has = string.Equals(tags[i], tag, StringComparison.Ordinal);
            if (!has) return -1;
            score += 1;
        }
        return score;
    }

    /// <summary>
    /// Cluster-wide rows apply everywhere; the others only on the instance that made them. Rows without an instance
    /// (made before clustering, or in SQL) and snapshots of a lone instance apply everywhere.
    /// </summary>
    internal static bool AppliesHere(bool cluster, string? instance, string? localInstance) =>
        cluster || instance is null || localInstance is null || string.Equals(instance, localInstance, StringComparison.Ordinal);

    internal static bool IsWild(string? field) => string.IsNullOrEmpty(field) || field == "*";
}
