using System.Buffers;
using System.IO.Compression;
using System.Text.Json;
using MailerQ.Www.Core.Logging;
using RabbitMQ.Client;

namespace MailerQ.Www.Smtp.Queue;

/// <summary>
/// Publishes inbound mail to RabbitMQ as MailerQ does: one JSON object per recipient on <c>rabbitmq-inbox</c>,
/// gzip-encoded by default. <see cref="CommitAsync"/> returns only after the broker confirmed every
/// publish (publisher confirms), so the 250 means the broker has it.
/// </summary>
/// <remarks>
/// The message is spooled to <c>queue/tmp</c> while it arrives, like the embedded queue. The connection is made
/// lazily and remade after a failure with exponential backoff (0.5 s doubling to 30 s); while the broker is
/// down or in backoff, commits fail at once and the client gets 451 and keeps the message.
/// </remarks>
internal sealed class RabbitMqQueue : IMessageQueue, IAsyncDisposable
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly RabbitMqOptions _options;
    private readonly string _spool;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private IChannel? _channel;
    private TimeSpan _backoff = TimeSpan.Zero;
    private DateTimeOffset _nextAttempt = DateTimeOffset.MinValue;

    public RabbitMqQueue(RabbitMqOptions options, string dataDirectory, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        // Same spool (and crash recovery of it) as the embedded queue.
        _spool = EmbeddedQueue.Open(dataDirectory).TempDirectory;
    }

    public IMessageDraft BeginMessage() => new EmbeddedDraft(_spool, MessageIds.New());

    public async ValueTask CommitAsync(IMessageDraft draft, InboundMessage message, CancellationToken ct, bool resumeOnCommitter = false)
    {
        byte[] mime = ((EmbeddedDraft)draft).ReadAll();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.ConfirmTimeout);
        await _gate.WaitAsync(timeout.Token).ConfigureAwait(false);
        try
        {
            var channel = await GetChannelAsync(timeout.Token).ConfigureAwait(false);
            var properties = new BasicProperties
            {
                ContentType = "application/json",
                ContentEncoding = _options.Gzip ? "gzip" : null,
                DeliveryMode = _options.Persistent ? DeliveryModes.Persistent : DeliveryModes.Transient,
                MessageId = message.Id,
            };
            for (int i = 0; i < message.Recipients.Count; i++)
            {
                byte[] body = Body(message, i, mime);
                // With confirmation tracking on, this completes when the broker acks, and throws on nack or return.
                await channel.BasicPublishAsync(_options.Exchange, _options.Inbox, mandatory: true, properties, body, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not BrokerUnavailableException)
        {
            await DropConnectionAsync().ConfigureAwait(false);
            throw new BrokerUnavailableException("publish to RabbitMQ failed: " + ex.Message, ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    private byte[] Body(InboundMessage message, int recipient, byte[] mime)
    {
        var json = new ArrayBufferWriter<byte>(mime.Length + 1024);
        using (var writer = new Utf8JsonWriter(json))
            InboundJson.WriteRecipient(writer, message, recipient, mime);
        if (!_options.Gzip)
            return json.WrittenSpan.ToArray();
        using var compressed = new MemoryStream(json.WrittenCount / 3 + 64);
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(json.WrittenSpan);
        return compressed.ToArray();
    }

    private async ValueTask<IChannel> GetChannelAsync(CancellationToken ct)
    {
        if (_channel is { IsOpen: true } open)
            return open;
        await DropConnectionAsync().ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if (now < _nextAttempt)
            throw new BrokerUnavailableException("RabbitMQ unavailable, next connect attempt at " + _nextAttempt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            var factory = new ConnectionFactory
            {
                Uri = new Uri(_options.Address),
                ClientProvidedName = "mailerq-smtp",
                AutomaticRecoveryEnabled = false, // we reconnect ourselves, with backoff, on the next message
                RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
            };
            _connection = await factory.CreateConnectionAsync(ct).ConfigureAwait(false);
            _channel = await _connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct).ConfigureAwait(false);
            if (_options.Declare)
                await _channel.QueueDeclareAsync(_options.Inbox, _options.Durable, exclusive: false, autoDelete: false, arguments: null, cancellationToken: ct).ConfigureAwait(false);
            if (_backoff != TimeSpan.Zero)
                Log.Info("rabbitmq", "connected again", $"queue={_options.Inbox}");
            _backoff = TimeSpan.Zero;
            return _channel;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            _backoff = _backoff == TimeSpan.Zero ? MinBackoff : TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, MaxBackoff.Ticks));
            _nextAttempt = _time.GetUtcNow() + _backoff;
            Log.Warning("rabbitmq", "connect failed", $"retry_in_ms={(long)_backoff.TotalMilliseconds} error={Log.Quote(ex.Message)}");
            await DropConnectionAsync().ConfigureAwait(false);
            throw new BrokerUnavailableException("cannot connect to RabbitMQ: " + ex.Message, ex);
        }
    }

    private async ValueTask DropConnectionAsync()
    {
        var channel = _channel;
        var connection = _connection;
        _channel = null;
        _connection = null;
        try
        {
            if (channel is not null) await channel.DisposeAsync().ConfigureAwait(false);
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A dead connection may throw on close; it is gone either way.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DropConnectionAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}
