using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Smtp.Delivery.Messages;
using MailerQ.Www.Smtp.Queue;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace MailerQ.Www.Smtp.Delivery.Outbox;

/// <summary>
/// The outbox and result queues on RabbitMQ, as MailerQ uses them: consumes <c>rabbitmq-outbox</c> with a
/// prefetch of <c>rabbitmq-qos</c> and acknowledges a message only once its fate is durable elsewhere; publishes
/// results, retries and bounces as JSON with <c>mime</c> inline (gzip by <c>rabbitmq-encoding</c>), with
/// publisher confirms.
/// </summary>
/// <remarks>
/// A retry (outbox message whose <c>nextattempt</c> is in the future) goes to a delay queue
/// <c>&lt;outbox&gt;.delay.&lt;seconds&gt;</c> whose messages all share one TTL and dead-letter back into the outbox, so a
/// delayed message never sits in the consumer's prefetch window. Delays are rounded up to whole minutes above
/// one minute, which keeps the number of delay queues small (one per retry interval in practice).
/// </remarks>
internal sealed class RabbitMqOutbox : IOutboxReader, IQueuePublisher
{
    private readonly RabbitMqOptions _options;
    private readonly string _outbox;
    private readonly ushort _prefetch;
    private readonly TimeProvider _time;
    private readonly Channel<OutboxLease> _ready = Channel.CreateUnbounded<OutboxLease>();
    private readonly SemaphoreSlim _publishGate = new(1, 1);
    private readonly HashSet<string> _declared = new(StringComparer.Ordinal);
    private IConnection? _connection;
    private IChannel? _consumer;
    private IChannel? _publisher;
    private long _inFlight;
    private long _held;

    public RabbitMqOutbox(RabbitMqOptions options, string outbox, int prefetch, TimeProvider? time = null)
    {
        _options = options;
        _outbox = outbox;
        _prefetch = (ushort)Math.Clamp(prefetch, 1, ushort.MaxValue);
        _time = time ?? TimeProvider.System;
    }

    public long Waiting => _ready.Reader.Count + Interlocked.Read(ref _held);

    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Connects and starts consuming; the client library reconnects (and re-consumes) by itself after a failure.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(_options.Address),
            ClientProvidedName = "mailerq-delivery",
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = TimeSpan.FromSeconds(2),
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
        };
        _connection = await factory.CreateConnectionAsync(ct).ConfigureAwait(false);
        _publisher = await _connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct).ConfigureAwait(false);
        _consumer = await _connection.CreateChannelAsync(cancellationToken: ct).ConfigureAwait(false);
        if (_options.Declare)
            await _consumer.QueueDeclareAsync(_outbox, _options.Durable, exclusive: false, autoDelete: false, arguments: null, cancellationToken: ct).ConfigureAwait(false);
        await _consumer.BasicQosAsync(0, _prefetch, global: false, ct).ConfigureAwait(false);
        var consumer = new AsyncEventingBasicConsumer(_consumer);
        consumer.ReceivedAsync += OnReceivedAsync;
        await _consumer.BasicConsumeAsync(_outbox, autoAck: false, consumer, ct).ConfigureAwait(false);
        Log.Info("delivery", "consuming the RabbitMQ outbox", $"queue={_outbox} prefetch={_prefetch}");
    }

    private async Task OnReceivedAsync(object sender, BasicDeliverEventArgs delivery)
    {
        var channel = _consumer!;
        ulong tag = delivery.DeliveryTag;
        string id = delivery.BasicProperties.MessageId is { } mid && EmbeddedQueue.IsSafeName(mid) ? mid : MessageIds.New();
        OutboxMessage message;
        try
        {
            byte[] body = Decode(delivery.Body, delivery.BasicProperties.ContentEncoding);
            message = OutboxJson.Parse(id, body, out string? error)
                ?? StoredEntry.Invalid(id, error!, Raw(body));
        }
        catch (InvalidDataException e)
        {
            message = StoredEntry.Invalid(id, "cannot decompress: " + e.Message, null);
        }
        var lease = new OutboxLease(message, async _ =>
        {
            Interlocked.Decrement(ref _inFlight);
            await channel.BasicAckAsync(tag, multiple: false).ConfigureAwait(false);
        });
        var due = message.NextAttempt;
        var now = _time.GetUtcNow();
        if (due is { } at && at > now)
        {
            // Early (clock skew, or a publisher that set nextattempt itself): hold it until due.
            Interlocked.Increment(ref _held);
            _ = Task.Delay(at - now, _time).ContinueWith(_ =>
            {
                Interlocked.Decrement(ref _held);
                _ready.Writer.TryWrite(lease);
            }, TaskScheduler.Default);
            return;
        }
        await _ready.Writer.WriteAsync(lease).ConfigureAwait(false);
    }

    /// <summary>What could be read of an unparsable message, carried into its invalid result.</summary>
    private static JsonObject Raw(byte[] body) => new() { ["raw"] = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 64 * 1024)) };

    private static byte[] Decode(ReadOnlyMemory<byte> body, string? encoding)
    {
        if (!string.Equals(encoding, "gzip", StringComparison.OrdinalIgnoreCase))
            return body.ToArray();
        using var input = new MemoryStream(body.ToArray());
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream(body.Length * 4);
        gzip.CopyTo(output);
        return output.ToArray();
    }

    public async ValueTask<OutboxLease> TakeAsync(CancellationToken ct)
    {
        var lease = await _ready.Reader.ReadAsync(ct).ConfigureAwait(false);
        Interlocked.Increment(ref _inFlight);
        return lease;
    }

    public async ValueTask PublishAsync(string queue, string id, ReadOnlyMemory<byte> json, ReadOnlyMemory<byte> mime, CancellationToken ct)
    {
        var obj = JsonNode.Parse(json.Span) as JsonObject ?? throw new ArgumentException("not a JSON object", nameof(json));
        if (!mime.IsEmpty)
            obj["mime"] = System.Text.Unicode.Utf8.IsValid(mime.Span) ? Encoding.UTF8.GetString(mime.Span) : Encoding.Latin1.GetString(mime.Span);
        string target = queue;
        int? delaySeconds = null;
        if (queue == _outbox && OutboxJson.Time(obj["nextattempt"] is JsonObject n ? n["time"] : null) is { } due)
        {
            double seconds = (due - _time.GetUtcNow()).TotalSeconds;
            if (seconds >= 1)
            {
                delaySeconds = seconds <= 60 ? (int)Math.Ceiling(seconds) : (int)Math.Ceiling(seconds / 60) * 60;
                target = $"{_outbox}.delay.{delaySeconds}";
            }
        }
        byte[] body = Encode(Encoding.UTF8.GetBytes(obj.ToJsonString()));
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            ContentEncoding = _options.Gzip ? "gzip" : null,
            DeliveryMode = _options.Persistent ? DeliveryModes.Persistent : DeliveryModes.Transient,
            MessageId = id,
        };
        // MailerQ's "priority" becomes the AMQP priority; it takes effect on queues declared with
        // x-max-priority (rabbitmq-maxpriority in MailerQ; declare such queues yourself with rabbitmq-declare: false).
        if (OutboxJson.Int(obj, "priority") is int priority and > 0)
            properties.Priority = (byte)Math.Min(priority, 255);
        await _publishGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var channel = _publisher ?? throw new InvalidOperationException("not started");
            if (_options.Declare || delaySeconds is not null)
                await DeclareAsync(channel, target, delaySeconds, ct).ConfigureAwait(false);
            await channel.BasicPublishAsync(_options.Exchange, target, mandatory: true, properties, body, ct).ConfigureAwait(false);
        }
        finally
        {
            _publishGate.Release();
        }
    }

    /// <summary>Moves every message of queue <paramref name="from"/> to <paramref name="to"/> (resuming parked mail): get, publish, then ack.</summary>
    public async ValueTask<int> MoveAllAsync(string from, string to, CancellationToken ct)
    {
        var connection = _connection ?? throw new InvalidOperationException("not started");
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct).ConfigureAwait(false);
        await channel.QueueDeclareAsync(from, _options.Durable, exclusive: false, autoDelete: false, arguments: null, cancellationToken: ct).ConfigureAwait(false);
        int moved = 0;
        while (await channel.BasicGetAsync(from, autoAck: false, ct).ConfigureAwait(false) is { } item)
        {
            var properties = new BasicProperties(item.BasicProperties);
            await channel.BasicPublishAsync(_options.Exchange, to, mandatory: true, properties, item.Body, ct).ConfigureAwait(false);
            await channel.BasicAckAsync(item.DeliveryTag, multiple: false, ct).ConfigureAwait(false);
            moved++;
        }
        return moved;
    }

    private async Task DeclareAsync(IChannel channel, string queue, int? delaySeconds, CancellationToken ct)
    {
        if (!_declared.Add(queue))
            return;
        Dictionary<string, object?>? arguments = null;
        if (delaySeconds is { } delay)
        {
            arguments = new()
            {
                ["x-message-ttl"] = delay * 1000,
                ["x-dead-letter-exchange"] = "",
                ["x-dead-letter-routing-key"] = _outbox,
            };
        }
        try
        {
            await channel.QueueDeclareAsync(queue, _options.Durable, exclusive: false, autoDelete: false, arguments, cancellationToken: ct).ConfigureAwait(false);
        }
        catch
        {
            _declared.Remove(queue);
            throw;
        }
    }

    private byte[] Encode(byte[] json)
    {
        if (!_options.Gzip)
            return json;
        using var compressed = new MemoryStream(json.Length / 3 + 64);
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(json);
        return compressed.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        _ready.Writer.TryComplete();
        try
        {
            if (_consumer is not null) await _consumer.DisposeAsync().ConfigureAwait(false);
            if (_publisher is not null) await _publisher.DisposeAsync().ConfigureAwait(false);
            if (_connection is not null) await _connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The broker may be gone already.
        }
        _publishGate.Dispose();
    }
}
