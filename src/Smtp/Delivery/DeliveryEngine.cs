using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Core.Metrics;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Smtp.Client;
using MailerQ.Www.Smtp.Delivery.Messages;
using MailerQ.Www.Smtp.Delivery.Outbox;
using MailerQ.Www.Smtp.Delivery.Results;
using MailerQ.Www.Smtp.Delivery.Routing;
using MailerQ.Www.Smtp.Dns;

namespace MailerQ.Www.Smtp.Delivery;

/// <summary>
/// The outbound half of the MTA: takes due messages from the outbox, applies the live settings (suppressions,
/// forced errors, pauses, throttles), finds the next hop, signs, delivers over pooled connections, and hands
/// every outcome to the <see cref="ResultRouter"/> before the message leaves the outbox.
/// </summary>
/// <remarks>
/// Settings are read from <see cref="DeliveryEngineParts.Settings"/> at every decision point and waits are cut into
/// slices of at most one second, so a throttle, pause or forced error changed in the database reaches messages
/// already waiting within a second. A slow route never blocks another: each message is its own task, bounded by
/// <see cref="DeliveryOptions.MaxInFlight"/>.
/// </remarks>
internal sealed partial class DeliveryEngine : IAsyncDisposable
{
    private static readonly TimeSpan Slice = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan DrainBudget = TimeSpan.FromSeconds(10);

    private readonly DeliveryOptions _options;
    private readonly DeliveryEngineParts _parts;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<RouteKey, DeliveryRoute> _routes = new();
    private readonly ConcurrentDictionary<RemoteKey, ThrottleState> _remotes = new();
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    /// <summary>All outbound connections together, for <c>smtp-connections-out</c>.</summary>
    private readonly ThrottleState _outbound = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _parkGate = new();
    private SemaphoreSlim? _slots;
    private Task? _loop;
    private Task? _housekeeping;
    private int _parked;
    private long _parkedVersion;
    private DateTimeOffset _parkedExpiry = DateTimeOffset.MaxValue;
    private int _roundRobin;

    public DeliveryEngine(DeliveryOptions options, DeliveryEngineParts parts)
    {
        _options = options;
        _parts = parts;
        _time = parts.Time;
    }

    /// <summary>Messages parked by a pause since the last resume.</summary>
    public int Parked => Volatile.Read(ref _parked);

    /// <summary>The most outbound connections ever open at once (what <c>smtp-connections-out</c> caps).</summary>
    public int PeakOutboundConnections => _outbound.Peak;

    /// <summary>Open outbound connections (busy and idle).</summary>
    public int OpenConnections
    {
        get
        {
            int open = 0;
            foreach (var route in _routes.Values)
                open += route.Open;
            return open;
        }
    }

    public void Start()
    {
        _slots = new SemaphoreSlim(_options.MaxInFlight, _options.MaxInFlight);
        _loop = Task.Run(() => RunAsync(_stop.Token));
        _housekeeping = Task.Run(() => HousekeepingAsync(_stop.Token));
        Log.Info("delivery", "started", $"in_flight={_options.MaxInFlight} sink={(_options.Sink is null ? "-" : _options.Sink.Host)} smarthost={(_options.Smarthost is null ? "-" : _options.Smarthost.Host)}");
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var slots = _slots!;
        while (!ct.IsCancellationRequested)
        {
            OutboxLease lease;
            try
            {
                await slots.WaitAsync(ct).ConfigureAwait(false);
                lease = await _parts.Outbox.TakeAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            var task = Task.Run(() => ProcessAsync(lease));
            _running.TryAdd(task, 0);
            _ = task.ContinueWith(t =>
            {
                _running.TryRemove(t, out _);
                slots.Release();
            }, TaskScheduler.Default);
        }
    }

    private async Task ProcessAsync(OutboxLease lease)
    {
        var message = lease.Message;
        try
        {
            var result = await DecideAndDeliverAsync(message).ConfigureAwait(false);
            if (result is null)
            {
                await lease.CompleteAsync().ConfigureAwait(false); // parked: it lives in the parking queue now
                return;
            }
            await FinishAsync(lease, result).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Shutting down before the attempt: the message stays in the outbox for the next start.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.Error("delivery", "message handling failed; it stays queued", $"id={message.Id} error={Log.Quote(e.Message)}");
        }
    }

    /// <summary>The attempt's result, or null when the message was parked by a pause.</summary>
    private async Task<AttemptResult?> DecideAndDeliverAsync(OutboxMessage message)
    {
        var ct = _stop.Token;
        var now = _time.GetUtcNow();
        if (message.InvalidReason is not null)
            return Local(DeliveryStates.Process, DeliveryResults.Invalid, message.InvalidReason, fatal: true);
        if (_parts.Retry.IsExpired(message, now))
            return RetryPolicy.TimeoutResult(now, "the message expired before it could be delivered");
        if (message.Mime.IsEmpty)
            return Local(DeliveryStates.Storage, DeliveryResults.Error, "the message store (key) is not supported here; send mime", fatal: true);

        var settings = _parts.Settings();
        string domain = message.RecipientDomain;
        var tags = message.Tags;
        if (domain.Length == 0)
            return Local(DeliveryStates.Process, DeliveryResults.Invalid, "recipient has no domain", fatal: true);

        if (settings.FindSuppression(message.Recipient) is { } suppression)
        {
            return new AttemptResult
            {
                State = DeliveryStates.Suppression, Result = DeliveryResults.Error, Time = now,
                Code = suppression.Code is > 0 ? suppression.Code.Value : 550,
                Status = suppression.Extended is { Length: > 0 } ex ? ex : "5.7.1",
                Description = suppression.Description is { Length: > 0 } d ? d : "recipient is on the suppression list",
                Fatal = true,
            };
        }

        var local = PickSourceIp(message, settings, out string? sourceError);
        if (sourceError is not null)
            return Local(DeliveryStates.Process, DeliveryResults.Error, sourceError, fatal: true);
        string mta = local?.ToString() ?? "";

        if (settings.FindForcedError(mta, domain, null, tags) is { } forced)
            return Forced(forced, now, mta, null);
        if (settings.FindPause(mta, domain, null, tags, now) is { } pause)
        {
            await ParkAsync(message, settings, pause, ct).ConfigureAwait(false);
            return null;
        }

        var (destination, routeFailure) = await ResolveAsync(message, domain, ct).ConfigureAwait(false);
        if (destination is null)
            return routeFailure;

        // Header edits come before signing, so the signature covers what is sent.
        // (The stored message stays as it came, so a retry applies the edits once again, not on top.)
        ReadOnlyMemory<byte> mime = message.Mime;
        if (message.Headers is { } edits)
        {
            mime = HeaderEditor.Apply(mime, edits, out string? editError);
            if (editError is not null)
                return Local(DeliveryStates.Process, DeliveryResults.Invalid, "headers: " + editError, fatal: true);
        }
        if (_parts.Sign is not null)
        {
            var signed = _parts.Sign(message, mime, settings, now, out string? signError);
            if (signError is not null)
                return Local(DeliveryStates.Process, DeliveryResults.Invalid, "dkim: " + signError, fatal: true);
            mime = signed;
        }

        var security = ParseSecurity(message.Security) ?? _options.DefaultSecurity;
        var route = _routes.GetOrAdd(new RouteKey(mta, domain, destination.RouteName, security), key => new DeliveryRoute(key));
        route.Enter(destination); // observability only (DeliveryEngine.Observe.cs)
        try
        {
            return await DeliverAsync(message, route, destination, local, mime, ct).ConfigureAwait(false);
        }
        finally
        {
            route.Leave();
        }
    }

    private async Task<AttemptResult?> DeliverAsync(OutboxMessage message, DeliveryRoute route, Destination destination, IPAddress? local, ReadOnlyMemory<byte> mime, CancellationToken ct)
    {
        var key = route.Key;
        var tags = message.Tags;
        PooledConnection? pooled = null;
        var dead = new List<PooledConnection>();
        AttemptResult? lastFailure = null;
        while (pooled is null)
        {
            ct.ThrowIfCancellationRequested();
            var settings = _parts.Settings();
            var now = _time.GetUtcNow();
            if (settings.FindPause(key.Mta, key.Domain, null, tags, now) is { } pause)
            {
                await ParkAsync(message, settings, pause, ct).ConfigureAwait(false);
                return null;
            }
            if (settings.FindForcedError(key.Mta, key.Domain, null, tags) is { } forced)
                return Forced(forced, now, key.Mta, null);
            var throttle = settings.ResolveThrottle(key.Mta, key.Domain);
            var wait = route.Messages.TryTake(throttle.DomainMessagesPerMinute, now);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait < Slice ? wait : Slice, _time, ct).ConfigureAwait(false);
                continue;
            }
            route.LastUsed = now;

            pooled = route.TakeIdle(dead);
            await CloseAllAsync(route, dead).ConfigureAwait(false);
            if (pooled is not null)
                break;

            if (!route.TryOpen(throttle.DomainMaxActive))
            {
                // Every allowed connection is busy: wait for one to come back (or the limit to change).
                await route.Released.WaitAsync(Slice, _time, ct).ConfigureAwait(false);
                continue;
            }
            var connectWait = route.Connects.TryTake(throttle.DomainConnectsPerMinute, now);
            if (connectWait > TimeSpan.Zero)
            {
                route.Close();
                await Task.Delay(connectWait < Slice ? connectWait : Slice, _time, ct).ConfigureAwait(false);
                continue;
            }

            bool anyHopAllowed = false;
            foreach (var hop in destination.Hops)
            {
                string remoteIp = Unmapped(hop.EndPoint.Address).ToString();
                if (settings.FindForcedError(key.Mta, key.Domain, remoteIp, tags) is { } remoteForced)
                {
                    route.Close();
                    return Forced(remoteForced, now, key.Mta, remoteIp);
                }
                if (settings.FindPause(key.Mta, key.Domain, remoteIp, tags, now) is not null)
                    continue; // that MX is paused; another may not be
                var remote = _remotes.GetOrAdd(new RemoteKey(key.Mta, remoteIp), _ => new ThrottleState());
                if (!remote.TryOpen(throttle.IpMaxActive))
                    continue;
                if (!_outbound.TryOpen(_options.MaxConnections))
                {
                    // At smtp-connections-out: an idle connection of another route gives way, so idle pools never
                    // starve routes that have mail waiting.
                    remote.Close();
                    if (await EvictIdleAsync(route).ConfigureAwait(false) && remote.TryOpen(throttle.IpMaxActive))
                    {
                        if (!_outbound.TryOpen(_options.MaxConnections))
                        {
                            remote.Close();
                            continue;
                        }
                    }
                    else
                        continue;
                }
                if (remote.Connects.TryTake(throttle.IpConnectsPerMinute, now) > TimeSpan.Zero)
                {
                    remote.Close();
                    _outbound.Close();
                    continue;
                }
                anyHopAllowed = true;
                remote.LastUsed = now;
                var (connection, failure) = await SmtpClientConnection.ConnectAsync(hop.EndPoint, hop.HostName, ClientOptions(settings, local, key.Security, destination), ct).ConfigureAwait(false);
                if (connection is not null)
                {
                    _parts.Counters?.Record(OverviewEvent.Connect, Mta(connection.Local.Address, key.Mta), key.Domain, tags);
                    pooled = new PooledConnection(connection, remote);
                    break;
                }
                remote.Close();
                _outbound.Close();
                lastFailure = failure;
                // A refusal that is about this message's policy (TLS required, not offered) will not change on the next MX.
                if (failure is { Fatal: true })
                    break;
            }
            if (pooled is null)
            {
                route.Close();
                if (lastFailure is not null)
                    return lastFailure;
                if (!anyHopAllowed)
                {
                    if (AllHopsPaused(settings, key, destination, tags, now) is { } hopPause)
                    {
                        await ParkAsync(message, settings, hopPause, ct).ConfigureAwait(false);
                        return null;
                    }
                    // Remote-IP limits are full: wait for a connection to be released.
                    await route.Released.WaitAsync(Slice, _time, ct).ConfigureAwait(false);
                    continue;
                }
                return Local(DeliveryStates.Connect, DeliveryResults.Error, "no mail server could be reached", fatal: false);
            }
        }

        var client = pooled.Connection;
        var throttleNow = _parts.Settings().ResolveThrottle(key.Mta, key.Domain);
        // Remote-IP message rate: shared by every domain that uses this MX.
        while (true)
        {
            var wait = pooled.Remote.Messages.TryTake(throttleNow.IpMessagesPerMinute, _time.GetUtcNow());
            if (wait <= TimeSpan.Zero)
                break;
            await Task.Delay(wait < Slice ? wait : Slice, _time, ct).ConfigureAwait(false);
            throttleNow = _parts.Settings().ResolveThrottle(key.Mta, key.Domain);
        }

        _parts.Counters?.Record(OverviewEvent.Attempt, Mta(client.Local.Address, key.Mta), key.Domain, message.Tags);
        AttemptResult result;
        // Once the transaction starts it is finished even during shutdown (CONTRACT.md: in-flight SMTP completes).
        using (var sendBudget = new CancellationTokenSource())
        {
            using var link = _abort.Token.Register(sendBudget.Cancel);
            result = await client.SendAsync(Envelope(message, mime), mime, sendBudget.Token).ConfigureAwait(false);
        }

        var latest = _parts.Settings().ResolveThrottle(key.Mta, key.Domain);
        bool keep = client.IsUsable
            && (latest.ConnectionMaxMessages <= 0 || client.MessagesSent < latest.ConnectionMaxMessages)
            && (latest.DomainMaxIdle <= 0 || route.IdleCount < latest.DomainMaxIdle)
            && !_stop.IsCancellationRequested;
        if (keep)
            route.ReturnIdle(pooled);
        else
            await CloseAsync(route, pooled).ConfigureAwait(false);
        return result;
    }

    private async Task<bool> EvictIdleAsync(DeliveryRoute except)
    {
        foreach (var other in _routes.Values)
        {
            if (ReferenceEquals(other, except))
                continue;
            if (other.TakeOldestIdle() is { } idle)
            {
                await CloseAsync(other, idle).ConfigureAwait(false);
                return true;
            }
        }
        return false;
    }

    private static Pause? AllHopsPaused(SettingsSnapshot settings, RouteKey key, Destination destination, IReadOnlyList<string> tags, DateTimeOffset now)
    {
        Pause? any = null;
        foreach (var hop in destination.Hops)
        {
            var pause = settings.FindPause(key.Mta, key.Domain, Unmapped(hop.EndPoint.Address).ToString(), tags, now);
            if (pause is null)
                return null;
            any = pause;
        }
        return any;
    }

    private SmtpClientOptions ClientOptions(SettingsSnapshot settings, IPAddress? local, DeliverySecurity security, Destination destination)
    {
        var template = _parts.ClientTemplate;
        return new SmtpClientOptions
        {
            HeloName = (local is null ? null : settings.MtaName(local.ToString())) ?? _options.HostName,
            LocalAddress = local,
            Security = security,
            Username = destination.Username,
            Password = destination.Password,
            CertificateValidation = template.CertificateValidation,
            Trace = _parts.Trace,
            Sessions = _parts.Sessions,
            Time = _time,
            ConnectTimeout = template.ConnectTimeout,
            GreetingTimeout = template.GreetingTimeout,
            EhloTimeout = template.EhloTimeout,
            StartTlsTimeout = template.StartTlsTimeout,
            MailTimeout = template.MailTimeout,
            RcptTimeout = template.RcptTimeout,
            DataTimeout = template.DataTimeout,
            DataBlockTimeout = template.DataBlockTimeout,
            DataEndTimeout = template.DataEndTimeout,
            QuitTimeout = template.QuitTimeout,
        };
    }

    private async ValueTask FinishAsync(OutboxLease lease, AttemptResult result)
    {
        var message = lease.Message;
        var counters = _parts.Counters;
        if (counters is not null)
        {
            string mta = result.From ?? "";
            string domain = message.RecipientDomain;
            var tags = message.Tags;
            if (result.IsSuccess)
            {
                counters.Record(OverviewEvent.Delivery, mta, domain, tags);
                counters.RecordLatency(_time.GetUtcNow() - message.FirstSeen(_time.GetUtcNow()));
            }
            else if (result.NotTried)
                counters.Record(OverviewEvent.NotTried, mta, domain, tags);
            else if (result.IsStrange)
                counters.Record(OverviewEvent.Strange, mta, domain, tags);
            else
                counters.Record(OverviewEvent.Error, mta, domain, tags);
        }
        // The outcome must be durable (result published, retry re-queued) before the message leaves the outbox.
        await _parts.Results.CompleteAsync(message, result, CancellationToken.None).ConfigureAwait(false);
        await lease.CompleteAsync().ConfigureAwait(false);
    }

    private async Task<(Destination?, AttemptResult?)> ResolveAsync(OutboxMessage message, string domain, CancellationToken ct)
    {
        Relay? relay = _options.Sink;
        if (relay is null && message.Smarthost is { } perMessage && OutboxJson.String(perMessage, "hostname") is { Length: > 0 } host)
        {
            int port = OutboxJson.Int(perMessage, "port") is int p and > 0 and < 65536 ? p : 25;
            relay = new Relay(host, port, OutboxJson.String(perMessage, "username"), OutboxJson.String(perMessage, "password"));
        }
        relay ??= _options.Smarthost;
        if (relay is not null)
        {
            IPAddress[] addresses;
            if (IPAddress.TryParse(relay.Host.Trim('[', ']'), out var literal))
                addresses = [literal];
            else
            {
                try
                {
                    addresses = await System.Net.Dns.GetHostAddressesAsync(relay.Host, ct).ConfigureAwait(false);
                }
                catch (SocketException e)
                {
                    return (null, Local(DeliveryStates.Dns, DeliveryResults.Error, $"relay {relay.Host}: {e.Message}", fatal: false));
                }
            }
            var hops = new List<NextHop>(addresses.Length);
            foreach (var address in addresses)
                hops.Add(new NextHop(relay.Host, new IPEndPoint(address, relay.Port)));
            return (new Destination(hops, $"relay:{relay.Host}:{relay.Port}", relay.Username, relay.Password), null);
        }

        var resolution = await _parts.Dns.ResolveAsync(domain, ct).ConfigureAwait(false);
        switch (resolution.Status)
        {
            case MxStatus.Ok:
                var hops = new List<NextHop>();
                foreach (var mx in resolution.Hosts)
                {
                    foreach (var address in mx.Addresses)
                        hops.Add(new NextHop(mx.Name, new IPEndPoint(address, _parts.MxPort)));
                }
                if (hops.Count > 0)
                    return (new Destination(hops, "mx", null, null), null);
                return (null, Local(DeliveryStates.Dns, DeliveryResults.Error, $"no address for the mail servers of {domain}", fatal: false));
            case MxStatus.NotFound:
            case MxStatus.NullMx:
                return (null, new AttemptResult
                {
                    State = DeliveryStates.Dns, Result = DeliveryResults.Error, Time = _time.GetUtcNow(), Code = 550, Status = "5.1.2",
                    Description = resolution.Error ?? $"{domain} does not accept mail", Fatal = true,
                });
            default:
                return (null, Local(DeliveryStates.Dns, DeliveryResults.Error, resolution.Error ?? $"DNS lookup of {domain} failed", fatal: false));
        }
    }

    private IPAddress? PickSourceIp(OutboxMessage message, SettingsSnapshot settings, out string? error)
    {
        error = null;
        IReadOnlyList<string>? candidates = message.Ips;
        if (candidates is null && message.Pool is { Length: > 0 } pool)
        {
            candidates = settings.PoolIps(pool);
            if (candidates.Count == 0)
            {
                error = $"pool {pool} has no IP addresses";
                return null;
            }
        }
        if (candidates is null)
        {
            if (_options.DefaultIps.Count == 0)
                return null;
            return _options.DefaultIps[(int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)_options.DefaultIps.Count)];
        }
        var usable = new List<IPAddress>(candidates.Count);
        foreach (var candidate in candidates)
        {
            if (IPAddress.TryParse(candidate, out var ip))
                usable.Add(ip);
        }
        if (usable.Count == 0)
        {
            error = "none of the message's ips is a usable IP address";
            return null;
        }
        return usable[(int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)usable.Count)];
    }

    private async Task ParkAsync(OutboxMessage message, SettingsSnapshot settings, Pause pause, CancellationToken ct)
    {
        var json = Encoding.UTF8.GetBytes(message.Json.ToJsonString());
        await _parts.Publisher.PublishAsync(_options.ParkingQueue, message.Id, json, message.Mime, ct).ConfigureAwait(false);
        lock (_parkGate)
        {
            _parked++;
            _parkedVersion = settings.Version;
            if (pause.Expire is { } expire && expire < _parkedExpiry)
                _parkedExpiry = expire;
        }
    }

    private async Task HousekeepingAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.ResumeInterval, _time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            try
            {
                await ResumeParkedIfDueAsync(ct).ConfigureAwait(false);
                await CloseIdleAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Log.Warning("delivery", "housekeeping failed", $"error={Log.Quote(e.Message)}");
            }
        }
    }

    /// <summary>Parked mail goes back to the outbox when the settings changed (a pause was lifted) or a pause expired.</summary>
    private async Task ResumeParkedIfDueAsync(CancellationToken ct)
    {
        if (_parts.ResumeParked is null)
            return;
        var settings = _parts.Settings();
        var now = _time.GetUtcNow();
        lock (_parkGate)
        {
            if (_parked == 0 || (settings.Version == _parkedVersion && now < _parkedExpiry))
                return;
            _parked = 0;
            _parkedExpiry = DateTimeOffset.MaxValue;
        }
        int moved = await _parts.ResumeParked(ct).ConfigureAwait(false);
        if (moved > 0)
            Log.Info("delivery", "parked messages back to the outbox", $"count={moved}");
    }

    private async Task CloseIdleAsync()
    {
        var now = _time.GetUtcNow();
        var settings = _parts.Settings();
        foreach (var route in _routes.Values)
        {
            int idleSeconds = settings.ResolveThrottle(route.Key.Mta, route.Key.Domain).ConnectionIdleSeconds;
            var cutoff = now - TimeSpan.FromSeconds(idleSeconds > 0 ? idleSeconds : 10);
            await CloseAllAsync(route, route.TakeExpired(cutoff)).ConfigureAwait(false);
            if (route.Open == 0 && now - route.LastUsed > TimeSpan.FromMinutes(10))
                _routes.TryRemove(route.Key, out _);
        }
        foreach (var (key, remote) in _remotes)
        {
            if (remote.Open == 0 && now - remote.LastUsed > TimeSpan.FromMinutes(10))
                _remotes.TryRemove(key, out _);
        }
    }

    private async Task CloseAllAsync(DeliveryRoute route, List<PooledConnection> connections)
    {
        foreach (var connection in connections)
            await CloseAsync(route, connection).ConfigureAwait(false);
        connections.Clear();
    }

    private async Task CloseAsync(DeliveryRoute route, PooledConnection pooled)
    {
        try
        {
            if (pooled.Connection.IsUsable)
            {
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await pooled.Connection.QuitAsync(quit.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Closing anyway.
        }
        finally
        {
            await pooled.Connection.DisposeAsync().ConfigureAwait(false);
            pooled.Remote.Close();
            _outbound.Close();
            route.Close();
        }
    }

    private static OutgoingEnvelope Envelope(OutboxMessage message, ReadOnlyMemory<byte> mime)
    {
        Client.DsnRequest? dsn = null;
        if (message.Dsn is { } d)
            dsn = new Client.DsnRequest(OutboxJson.String(d, "notify"), OutboxJson.String(d, "ret"), OutboxJson.String(d, "orcpt"), OutboxJson.String(d, "envid"));
        bool utf8 = !Ascii.IsValid(message.Envelope) || !Ascii.IsValid(message.Recipient);
        bool eightBit = mime.Span.IndexOfAnyExceptInRange((byte)0, (byte)127) >= 0;
        return new OutgoingEnvelope(message.Envelope, message.Recipient, dsn, utf8, eightBit);
    }

    private static DeliverySecurity? ParseSecurity(string? value) => value?.ToLowerInvariant() switch
    {
        "optional" => DeliverySecurity.Optional,
        "opportunistic" => DeliverySecurity.Opportunistic,
        "required" => DeliverySecurity.Required,
        "verified" => DeliverySecurity.Verified,
        _ => null,
    };

    private AttemptResult Local(string state, string result, string description, bool fatal) => new()
    {
        State = state, Result = result, Description = description, Time = _time.GetUtcNow(), Fatal = fatal,
    };

    /// <summary>A forced error is reported as if the remote server had said it at RCPT TO (MailerQ: UG/forced-errors.md).</summary>
    private static AttemptResult Forced(ForcedError forced, DateTimeOffset now, string mta, string? remoteIp) => new()
    {
        State = DeliveryStates.RcptTo, Result = DeliveryResults.Error, Time = now,
        Code = forced.Code, Status = forced.Extended, Description = forced.Description ?? "",
        From = mta.Length == 0 ? null : mta, To = remoteIp,
    };

    private static string Mta(IPAddress local, string configured) => configured.Length > 0 ? configured : Unmapped(local).ToString();

    private static IPAddress Unmapped(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>Stops taking messages, lets running SMTP transactions finish (≤ 10 s), then closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_loop is not null)
            await _loop.ConfigureAwait(false);
        var running = Task.WhenAll(_running.Keys);
        if (await Task.WhenAny(running, Task.Delay(DrainBudget)).ConfigureAwait(false) != running)
        {
            _abort.Cancel();
            await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        }
        if (_housekeeping is not null)
            await _housekeeping.ConfigureAwait(false);
        foreach (var route in _routes.Values)
            await CloseAllAsync(route, route.TakeExpired(DateTimeOffset.MaxValue)).ConfigureAwait(false);
        _stop.Dispose();
        _abort.Dispose();
        _slots?.Dispose();
    }
}
