using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DnsClient;
using DnsClient.Protocol;

namespace MailerQ.Www.Smtp.Dns;

/// <summary>
/// Where to deliver mail for a domain (RFC 5321 section 5.1): the MX hosts by preference, each with its
/// A and AAAA addresses; the domain's own addresses when it has no MX (implicit MX); a null MX
/// (RFC 7505) as a permanent refusal; IP literals as they are; the settings' <c>dns</c> table instead of
/// DNS when it names the domain.
/// </summary>
/// <remarks>
/// Thread-safe. Every answer, positive or negative, is cached for max(TTL, <see cref="DnsOptions.MinTtl"/>)
/// on the injected clock; concurrent lookups of the same name share one query. Temporary failures are
/// cached too, for the minimum TTL capped at 5 minutes (RFC 2308 section 7.1), so a dead resolver does not
/// cost a timeout per message. DnsClient's own cache is off: it runs on the wall clock.
/// </remarks>
internal sealed class MxResolver
{
    /// <summary>RFC 2308 section 7.1: a server failure must not be cached longer than 5 minutes.</summary>
    private static readonly TimeSpan MaxFailureTtl = TimeSpan.FromMinutes(5);

    /// <summary>Past this many cached names, expired entries are swept on insert (bounds memory with many domains).</summary>
    private const int SweepThreshold = 50_000;

    private readonly DnsOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<string, IReadOnlyList<string>?>? _overrides;
    private readonly LookupClient _client;
    private readonly ConcurrentDictionary<(string Name, QueryType Type), CacheEntry> _cache = new();

    /// <param name="overrides">The settings' <c>dns</c> table: hosts or IPs to use for a domain instead of its MX; null or empty = no override.</param>
    public MxResolver(DnsOptions options, TimeProvider time, Func<string, IReadOnlyList<string>?>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options;
        _time = time;
        _overrides = overrides;
        var clientOptions = options.Servers.Count == 0
            ? new LookupClientOptions()
            : new LookupClientOptions([.. options.Servers]);
        clientOptions.UseCache = false;
        clientOptions.Timeout = options.Timeout;
        clientOptions.Retries = options.Attempts - 1;
        clientOptions.ThrowDnsErrors = false;
        // SERVFAIL/REFUSED from one server: ask the next one. An empty NOERROR is a real answer (NODATA).
        clientOptions.ContinueOnDnsError = true;
        clientOptions.ContinueOnEmptyResponse = false;
        clientOptions.UseTcpFallback = true;
        _client = new LookupClient(clientOptions);
    }

    /// <summary>Queries sent so far (cache misses); lets tests and counters see the cache work.</summary>
    public long QueriesSent => Interlocked.Read(ref _queriesSent);

    private long _queriesSent;

    /// <summary>Resolves the domain part of a recipient address (a name or an RFC 5321 address literal).</summary>
    public async ValueTask<MxResolution> ResolveAsync(string domain, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (TryParseLiteral(domain, out var literal))
            return new MxResolution(MxStatus.Ok, [new MxHost(literal.ToString(), 0, [literal])], null);

        string? name = Normalize(domain);
        if (name is null)
            return MxResolution.Failed(MxStatus.NotFound, $"{domain}: not a valid domain name");

        var overridden = _overrides?.Invoke(name);
        if (overridden is { Count: > 0 })
            return await ResolveOverrideAsync(name, overridden, ct).ConfigureAwait(false);

        var mx = await LookupAsync(name, QueryType.MX, ct).ConfigureAwait(false);
        switch (mx.Kind)
        {
            case DnsAnswerKind.Failure:
                return MxResolution.Failed(MxStatus.TemporaryFailure, $"{name}: MX lookup failed: {mx.Error}");
            case DnsAnswerKind.NameError:
                return MxResolution.Failed(MxStatus.NotFound, $"{name}: domain does not exist (NXDOMAIN)");
            case DnsAnswerKind.NoData:
                return await ResolveImplicitAsync(name, ct).ConfigureAwait(false);
        }

        var exchanges = new List<(int Preference, string Host)>(mx.Exchanges.Count);
        foreach (var exchange in mx.Exchanges)
        {
            // RFC 7505 section 3: a null MX is the only record; if others exist anyway, use those.
            if (exchange.Host.Length > 0)
                exchanges.Add(exchange);
        }
        if (exchanges.Count == 0)
            return MxResolution.Failed(MxStatus.NullMx, $"{name}: domain accepts no mail (null MX, RFC 7505)");

        Order(exchanges);
        var lookups = new Task<HostAddresses>[exchanges.Count];
        for (int i = 0; i < exchanges.Count; i++)
            lookups[i] = ResolveHostAsync(exchanges[i].Host, ct);
        await Task.WhenAll(lookups).ConfigureAwait(false);

        var hosts = new List<MxHost>(exchanges.Count);
        string? failure = null;
        for (int i = 0; i < exchanges.Count; i++)
        {
            var found = lookups[i].Result;
            if (found.Addresses.Count > 0)
                hosts.Add(new MxHost(exchanges[i].Host, exchanges[i].Preference, found.Addresses));
            else if (found.Error is not null)
                failure ??= found.Error;
        }
        if (hosts.Count > 0)
            return new MxResolution(MxStatus.Ok, hosts, null);
        return failure is not null
            ? MxResolution.Failed(MxStatus.TemporaryFailure, $"{name}: address lookup of MX hosts failed: {failure}")
            : MxResolution.Failed(MxStatus.NotFound, $"{name}: no MX host has an address");
    }

    /// <summary>RFC 5321 section 5.1: no MX records means the domain itself is the only, implicit MX.</summary>
    private async ValueTask<MxResolution> ResolveImplicitAsync(string name, CancellationToken ct)
    {
        var found = await ResolveHostAsync(name, ct).ConfigureAwait(false);
        if (found.Addresses.Count > 0)
            return new MxResolution(MxStatus.Ok, [new MxHost(name, 0, found.Addresses)], null);
        return found.Error is not null
            ? MxResolution.Failed(MxStatus.TemporaryFailure, $"{name}: no MX; address lookup failed: {found.Error}")
            : MxResolution.Failed(MxStatus.NotFound, $"{name}: no MX and no A/AAAA records");
    }

    /// <summary>The <c>dns</c> table: entries in order (preference = position), IPs as they are, names by A/AAAA.</summary>
    private async ValueTask<MxResolution> ResolveOverrideAsync(string name, IReadOnlyList<string> entries, CancellationToken ct)
    {
        var hosts = new List<MxHost>(entries.Count);
        string? failure = null;
        for (int i = 0; i < entries.Count; i++)
        {
            string entry = entries[i].Trim();
            if (TryParseLiteral(entry, out var address))
            {
                hosts.Add(new MxHost(entry, i, [address]));
                continue;
            }
            string? host = Normalize(entry);
            if (host is null)
            {
                failure ??= $"{Core.Config.ConfigText.Quote(entry)} is not a host name or IP";
                continue;
            }
            var found = await ResolveHostAsync(host, ct).ConfigureAwait(false);
            if (found.Addresses.Count > 0)
                hosts.Add(new MxHost(host, i, found.Addresses));
            else if (found.Error is not null)
                failure ??= found.Error;
        }
        if (hosts.Count > 0)
            return new MxResolution(MxStatus.Ok, hosts, null);
        return failure is not null
            ? MxResolution.Failed(MxStatus.TemporaryFailure, $"{name}: dns override: {failure}")
            : MxResolution.Failed(MxStatus.NotFound, $"{name}: dns override hosts have no address");
    }

    /// <summary>A and AAAA of one host, looked up together. Error is set only when no address came back and a lookup failed.</summary>
    private async Task<HostAddresses> ResolveHostAsync(string host, CancellationToken ct)
    {
        var a = LookupAsync(host, QueryType.A, ct).AsTask();
        var aaaa = LookupAsync(host, QueryType.AAAA, ct).AsTask();
        await Task.WhenAll(a, aaaa).ConfigureAwait(false);
        var v4 = a.Result;
        var v6 = aaaa.Result;
        var addresses = new List<IPAddress>(v4.Addresses.Count + v6.Addresses.Count);
        addresses.AddRange(v4.Addresses);
        addresses.AddRange(v6.Addresses);
        string? error = null;
        if (addresses.Count == 0 && (v4.Kind == DnsAnswerKind.Failure || v6.Kind == DnsAnswerKind.Failure))
            error = $"{host}: {(v4.Kind == DnsAnswerKind.Failure ? v4.Error : v6.Error)}";
        return new HostAddresses(addresses, error);
    }

    private readonly record struct HostAddresses(IReadOnlyList<IPAddress> Addresses, string? Error);

    /// <summary>Cached lookup: a fresh entry is returned as is, an in-flight one is awaited, anything else is asked again.</summary>
    private async ValueTask<DnsAnswer> LookupAsync(string name, QueryType type, CancellationToken ct)
    {
        var key = (name, type);
        while (true)
        {
            var now = _time.GetUtcNow();
            if (_cache.TryGetValue(key, out var existing) && existing.IsUsable(now))
                return await existing.Answer.WaitAsync(ct).ConfigureAwait(false);

            var entry = new CacheEntry();
            bool ours = existing is null ? _cache.TryAdd(key, entry) : _cache.TryUpdate(key, entry, existing);
            if (!ours)
                continue; // another caller started the same query first: share theirs

            if (_cache.Count > SweepThreshold)
                Sweep(now);
            Interlocked.Increment(ref _queriesSent);
            // The query is shared, so one caller's cancellation must not cancel it for the others;
            // DnsOptions.Timeout × Attempts bounds it.
            DnsAnswer answer;
            try
            {
                answer = await QueryAsync(name, type).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Whatever went wrong, the waiters sharing this entry must get an answer, not hang.
            catch (Exception e)
#pragma warning restore CA1031
            {
                answer = DnsAnswer.Failed($"{type} {name}: {e.Message}", TimeSpan.Zero);
            }
            var ttl = answer.Kind == DnsAnswerKind.Failure
                ? (_options.MinTtl < MaxFailureTtl ? _options.MinTtl : MaxFailureTtl)
                : (answer.Ttl > _options.MinTtl ? answer.Ttl : _options.MinTtl);
            entry.Complete(answer, _time.GetUtcNow() + ttl);
            ct.ThrowIfCancellationRequested();
            return answer;
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var pair in _cache)
        {
            if (pair.Value.IsExpired(now))
                _cache.TryRemove(pair);
        }
    }

    private async Task<DnsAnswer> QueryAsync(string name, QueryType type)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(name, type, QueryClass.IN, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DnsResponseException e)
        {
            return DnsAnswer.Failed($"{type} {name}: {e.Code}: {e.Message}", TimeSpan.Zero);
        }
        catch (SocketException e)
        {
            return DnsAnswer.Failed($"{type} {name}: {e.SocketErrorCode}", TimeSpan.Zero);
        }

        switch (response.Header.ResponseCode)
        {
            case DnsHeaderResponseCode.NoError:
                break;
            case DnsHeaderResponseCode.NotExistentDomain:
                return new DnsAnswer(DnsAnswerKind.NameError, [], [], NegativeTtl(response), null);
            default:
                return DnsAnswer.Failed($"{type} {name}: {ResponseCodeName(response.Header.ResponseCode)}", TimeSpan.Zero);
        }

        var exchanges = new List<(int, string)>();
        var addresses = new List<IPAddress>();
        uint ttl = uint.MaxValue;
        foreach (var record in response.Answers)
        {
            switch (record)
            {
                case MxRecord mx when type == QueryType.MX:
                    exchanges.Add((mx.Preference, TrimDot(mx.Exchange.Value)));
                    break;
                case ARecord a when type == QueryType.A:
                    addresses.Add(a.Address);
                    break;
                case AaaaRecord aaaa when type == QueryType.AAAA:
                    addresses.Add(aaaa.Address);
                    break;
                default:
                    continue; // CNAMEs on the way and anything else: their TTLs do not bound this answer
            }
            ttl = Math.Min(ttl, (uint)Math.Max(record.TimeToLive, 0));
        }
        if (exchanges.Count == 0 && addresses.Count == 0)
            return new DnsAnswer(DnsAnswerKind.NoData, [], [], NegativeTtl(response), null);
        return new DnsAnswer(DnsAnswerKind.Records, exchanges, addresses, TimeSpan.FromSeconds(ttl), null);
    }

    /// <summary>RFC 2308 section 5: a negative answer lives min(SOA TTL, SOA MINIMUM); without a SOA, only the minimum TTL applies.</summary>
    private static TimeSpan NegativeTtl(IDnsQueryResponse response)
    {
        foreach (var record in response.Authorities)
        {
            if (record is SoaRecord soa)
                return TimeSpan.FromSeconds(Math.Min((uint)Math.Max(soa.TimeToLive, 0), soa.Minimum));
        }
        return TimeSpan.Zero;
    }

    private static string ResponseCodeName(DnsHeaderResponseCode code) => code switch
    {
        DnsHeaderResponseCode.ServerFailure => "SERVFAIL",
        DnsHeaderResponseCode.Refused => "REFUSED",
        DnsHeaderResponseCode.FormatError => "FORMERR",
        DnsHeaderResponseCode.NotImplemented => "NOTIMP",
        _ => ((int)code).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Lowest preference first; hosts of equal preference in random order (RFC 5321 section 5.1).</summary>
    private static void Order(List<(int Preference, string Host)> exchanges)
    {
        var shuffled = exchanges.ToArray();
        Random.Shared.Shuffle(shuffled);
        exchanges.Clear();
        exchanges.AddRange(shuffled);
        // List.Sort is unstable, but the shuffle already randomised ties, so any tie order is fine.
        exchanges.Sort(static (x, y) => x.Preference.CompareTo(y.Preference));
    }

    /// <summary>
    /// <c>[192.0.2.1]</c>, <c>[IPv6:2001:db8::1]</c> (RFC 5321 section 4.1.3), or a bare address as the
    /// <c>dns</c> table and smarthost settings write it.
    /// </summary>
    internal static bool TryParseLiteral(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        var span = text.AsSpan().Trim();
        if (span.Length > 2 && span[0] == '[' && span[^1] == ']')
        {
            span = span[1..^1];
            if (span.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
            {
                if (!IPAddress.TryParse(span[5..], out address) || address.AddressFamily != AddressFamily.InterNetworkV6)
                    return false;
                return true;
            }
        }
        return Core.Config.ConfigSet.TryParseIp(span.ToString(), out address);
    }

    /// <summary>Lower case, no trailing dot, IDNA A-labels for non-ASCII names (RFC 5890); null when not a name.</summary>
    internal static string? Normalize(string domain)
    {
        string name = domain.Trim().TrimEnd('.');
        if (!Ascii.IsValid(name))
        {
            try
            {
                name = Idn.GetAscii(name);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
        if (name.Length == 0 || name.Length > 253)
            return null;
        foreach (string label in name.Split('.'))
        {
            // RFC 1035 section 2.3.4 label length; letters, digits, hyphen, and underscore for service names.
            if (label.Length is 0 or > 63 || label.AsSpan().IndexOfAnyExcept(HostChars) >= 0)
                return null;
        }
        return name.ToLowerInvariant();
    }

    private static readonly IdnMapping Idn = new();

    private static readonly System.Buffers.SearchValues<char> HostChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");

    private static string TrimDot(string host) => host.EndsWith('.') ? host[..^1].ToLowerInvariant() : host.ToLowerInvariant();

    /// <summary>One cached or in-flight query. Expiry is written before the answer is published.</summary>
    private sealed class CacheEntry
    {
        private readonly TaskCompletionSource<DnsAnswer> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _expiresTicks = long.MaxValue;

        public Task<DnsAnswer> Answer => _answer.Task;

        public bool IsUsable(DateTimeOffset now) => !_answer.Task.IsCompleted || now.UtcTicks < Interlocked.Read(ref _expiresTicks);

        public bool IsExpired(DateTimeOffset now) => _answer.Task.IsCompleted && now.UtcTicks >= Interlocked.Read(ref _expiresTicks);

        public void Complete(DnsAnswer answer, DateTimeOffset expires)
        {
            Interlocked.Exchange(ref _expiresTicks, expires.UtcTicks);
            _answer.SetResult(answer);
        }
    }
}
