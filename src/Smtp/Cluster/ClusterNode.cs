using System.Text.Json;
using MailerQ.Www.Core.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace MailerQ.Www.Smtp.Cluster;

/// <summary>
/// This instance on the cluster exchange (5.13/cluster.md): a fanout exchange on <c>cluster-address</c> that every
/// instance binds a private (exclusive, auto-delete) queue to, so each one hears every message. It announces itself
/// every <see cref="ClusterOptions.Interval"/>, on connecting and whenever it hears <c>{"hello":true}</c>; it records
/// every announcement in <see cref="Registry"/>; and it calls <see cref="Reload"/> on <c>{"reload":true}</c>.
/// </summary>
/// <remarks>
/// The connection is its own: losing the broker never touches delivery. It is remade automatically, with a backoff from
/// 0.5 s doubling to <see cref="MaxBackoff"/>; <see cref="Connected"/> and <see cref="LastError"/> say how it stands,
/// for the console. A node made without an announcement source only listens (<c>--list-cluster</c>).
/// </remarks>
internal sealed class ClusterNode : IAsyncDisposable
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly ClusterOptions _options;
    private readonly Func<ClusterAnnouncement>? _announce;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _publishGate = new(1, 1);
    private readonly TaskCompletionSource _firstConnect = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IConnection? _connection;
    private IChannel? _channel;
    private Task? _run;
    private Task? _ticker;
    private volatile string? _lastError;

    /// <param name="announce">Builds this instance's announcement; null = listen only.</param>
    public ClusterNode(ClusterOptions options, string? selfId, Func<ClusterAnnouncement>? announce, TimeProvider? time = null)
    {
        _options = options;
        _announce = announce;
        _time = time ?? TimeProvider.System;
        SelfId = selfId;
        Registry = new ClusterRegistry(selfId, _time);
    }

    public string? SelfId { get; }

    public ClusterRegistry Registry { get; }

    /// <summary>Called on <c>{"reload":true}</c> from another instance; exceptions are logged, never thrown.</summary>
    public Func<Task>? Reload { get; set; }

    /// <summary>True while the exchange is reachable and this node's queue is bound.</summary>
    public bool Connected => _channel is { IsOpen: true };

    /// <summary>Why the last connection failed or ended; null while connected.</summary>
    public string? LastError => Connected ? null : _lastError ?? "not connected yet";

    /// <summary>Completes once the first connection is up (or never, while the broker stays away).</summary>
    public Task FirstConnect => _firstConnect.Task;

    /// <summary>Starts connecting and announcing in the background; returns at once.</summary>
    public void Start()
    {
        _run ??= Task.Run(() => RunAsync(_stop.Token));
        if (_announce is not null) _ticker ??= Task.Run(() => TickAsync(_stop.Token));
    }

    /// <summary>Asks every instance to re-read the settings database. False when the broker is not reachable.</summary>
    public Task<bool> PublishReloadAsync(CancellationToken cancellationToken = default) =>
        PublishAsync(Control("reload"), cancellationToken);

    /// <summary>Asks every instance to announce itself now.</summary>
    public Task<bool> PublishHelloAsync(CancellationToken cancellationToken = default) =>
        PublishAsync(Control("hello"), cancellationToken);

    /// <summary>Publishes this instance's announcement now; false when not connected (or listen-only).</summary>
    public Task<bool> AnnounceAsync(CancellationToken cancellationToken = default) =>
        _announce is null ? Task.FromResult(false) : PublishAsync(_announce().ToJson(), cancellationToken);

    private byte[] Control(string name)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteBoolean(name, true);
            if (SelfId is not null) w.WriteString("from"u8, SelfId);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private async Task<bool> PublishAsync(byte[] body, CancellationToken cancellationToken)
    {
        var channel = _channel;
        if (channel is not { IsOpen: true }) return false;
        await _publishGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var properties = new BasicProperties { ContentType = "application/json", DeliveryMode = DeliveryModes.Transient };
            await channel.BasicPublishAsync(_options.Exchange, "", mandatory: false, properties, body, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _lastError = ex.Message;
            Log.Warning("cluster", "publish failed", $"error={Log.Quote(ex.Message)}");
            return false;
        }
        finally
        {
            _publishGate.Release();
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var backoff = TimeSpan.Zero;
        while (!stop.IsCancellationRequested)
        {
            var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                await ConnectAsync(closed, stop).ConfigureAwait(false);
                if (backoff != TimeSpan.Zero) Log.Info("cluster", "connected again", $"exchange={_options.Exchange}");
                else Log.Info("cluster", "joined", $"exchange={_options.Exchange} id={Log.Quote(SelfId ?? "(listener)")}");
                backoff = TimeSpan.Zero;
                _firstConnect.TrySetResult();
                // Learn everyone at once instead of waiting a period: they all answer hello with an announcement.
                await AnnounceAsync(stop).ConfigureAwait(false);
                await PublishHelloAsync(stop).ConfigureAwait(false);
                await closed.Task.WaitAsync(stop).ConfigureAwait(false);
                Log.Warning("cluster", "connection lost", $"error={Log.Quote(_lastError ?? "closed")}");
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Any failure to reach the broker means: try again later; delivery must not notice.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _lastError = ex.Message;
                if (backoff == TimeSpan.Zero) Log.Warning("cluster", "cannot reach the cluster exchange", $"error={Log.Quote(ex.Message)}");
            }
            await DropAsync().ConfigureAwait(false);
            backoff = backoff == TimeSpan.Zero ? MinBackoff : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            try
            {
                await Task.Delay(backoff, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await DropAsync().ConfigureAwait(false);
    }

    private async Task ConnectAsync(TaskCompletionSource closed, CancellationToken stop)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(_options.Address),
            ClientProvidedName = "mailerq-cluster",
            AutomaticRecoveryEnabled = false, // RunAsync reconnects, with backoff
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
            // A broker that vanishes without closing the socket is noticed within two heartbeats.
            RequestedHeartbeat = TimeSpan.FromSeconds(10),
        };
        var connection = await factory.CreateConnectionAsync(stop).ConfigureAwait(false);
        _connection = connection;
        connection.ConnectionShutdownAsync += (_, e) =>
        {
            _lastError = e.ReplyText;
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        var channel = await connection.CreateChannelAsync(cancellationToken: stop).ConfigureAwait(false);
        channel.ChannelShutdownAsync += (_, e) =>
        {
            _lastError = e.ReplyText;
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        // Fanout: every bound queue gets every message, whatever the routing key. Durable, so the exchange outlives
        // the instances; each instance's queue is exclusive and auto-deleted, so it vanishes with the instance.
        await channel.ExchangeDeclareAsync(_options.Exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: stop).ConfigureAwait(false);
        var queue = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true, arguments: null, cancellationToken: stop).ConfigureAwait(false);
        await channel.QueueBindAsync(queue.QueueName, _options.Exchange, "", cancellationToken: stop).ConfigureAwait(false);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => OnMessageAsync(delivery.Body);
        await channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer, stop).ConfigureAwait(false);
        _channel = channel;
        _lastError = null;
    }

    /// <summary>Announcements, hello and reload; anything else on the exchange (other software may listen and talk there) is ignored.</summary>
    private Task OnMessageAsync(ReadOnlyMemory<byte> body)
    {
        ClusterMessageKind kind;
        ClusterAnnouncement? announcement = null;
        string? from = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            kind = ClusterMessages.Classify(root, out from);
            if (kind == ClusterMessageKind.Announce && !ClusterAnnouncement.TryParse(root, out announcement)) kind = ClusterMessageKind.Unknown;
        }
        catch (JsonException)
        {
            return Task.CompletedTask;
        }
        switch (kind)
        {
            case ClusterMessageKind.Announce:
                Registry.Observe(announcement!);
                break;
            case ClusterMessageKind.Hello:
                _ = AnnounceAsync(_stop.Token);
                break;
            case ClusterMessageKind.Reload when from is null || from != SelfId:
                // This instance reloaded already, right after its own write.
                _ = ReloadSafelyAsync();
                break;
        }
        return Task.CompletedTask;
    }

    private async Task ReloadSafelyAsync()
    {
        if (Reload is not { } reload) return;
        try
        {
            await reload().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A reload that fails keeps the old settings; the database monitor reports the outage.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.Warning("cluster", "reload requested by the cluster failed, keeping the previous settings", $"error={Log.Quote(ex.Message)}");
        }
    }

    private async Task TickAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_options.Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
                await AnnounceAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task DropAsync()
    {
        var channel = Interlocked.Exchange(ref _channel, null);
        var connection = Interlocked.Exchange(ref _connection, null);
        try
        {
            if (channel is not null) await channel.DisposeAsync().ConfigureAwait(false);
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Closing a dead connection may throw anything; it is gone either way.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_run is not null) await _run.ConfigureAwait(false);
        if (_ticker is not null) await _ticker.ConfigureAwait(false);
        _stop.Dispose();
        _publishGate.Dispose();
    }
}
