using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading.Channels;
using MailerQ.Www.Core.Buffers;
using MailerQ.Www.Core.Metrics;
using MailerQ.Www.Core.Tracing;

namespace MailerQ.Www.Http.WebSockets;

/// <summary>
/// One upgraded connection of the console: reads client frames and commands, answers pings, pings idle
/// clients, runs the closing handshake, and sends trace chunks and stats frames to subscribers.
/// </summary>
/// <remarks>
/// Concurrency contract. Three loops run per session: the read loop (frames in, commands, replies
/// queued), the write loop (the only code that touches the output; it drains everything queued in an
/// unbounded single-reader channel, in order, so frames never interleave, and sends it with as few
/// syscalls as it can: see <see cref="WriteLoopAsync"/>), and a tick loop (stats and pings).
/// Publishers call <see cref="ITraceSink.TryEnqueue"/> concurrently; it only writes to the channel.
/// The trace backlog is bounded by the bus (frames and bytes per subscriber), replies by
/// <see cref="WebSocketOptions.MaxPendingReplies"/>, and stats, ping and pong by at most one pending
/// each, so the queue is bounded although the channel is not. State changes go through
/// <see cref="WebSocketStateTable"/> under one lock; they are rare (subscribe, close).
/// </remarks>
internal sealed class WebSocketSession : ITraceSink
{
    private static readonly byte[] PongTimeout = "pong timeout"u8.ToArray();
    private static readonly byte[] TooSlow = "too slow to keep up with the trace"u8.ToArray();
    private static readonly byte[] TooManyReplies = "too many unanswered commands"u8.ToArray();
    private static readonly byte[] ProtocolFault = "protocol error"u8.ToArray();
    private static readonly byte[] InvalidUtf8 = "invalid utf-8"u8.ToArray();
    private static readonly byte[] TooBig = "message over 1 MiB"u8.ToArray();
    private static readonly JsonEncodedText StatsName = JsonEncodedText.Encode("stats");
    private static readonly JsonEncodedText TimeName = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText DroppedName = JsonEncodedText.Encode("dropped");
    private static readonly JsonEncodedText DroppedTotalName = JsonEncodedText.Encode("droppedTotal");

    private readonly WebSocketOptions _options;
    private readonly TraceBus? _bus;
    private readonly MetricsRegistry? _metrics;
    private readonly TimeProvider _time;
    private readonly Channel<WebSocketOutgoing> _outbox =
        Channel.CreateUnbounded<WebSocketOutgoing>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly Lock _gate = new();
    private readonly WebSocketFrameReader _frames = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[] _pong = new byte[WebSocketLimits.MaxControlPayload];

    private PipeReader _input = null!;
    private PipeWriter _output = null!;
    private SocketGatherWriter? _gather;
    private Action _abort = static () => { };
    private long _traceFramesSent;
    private long _traceSends;

    // Guarded by _gate.
    private WebSocketState _state;
    private WebSocketCloseCode _closeCode;
    private byte[] _closeReason = [];
    private bool _closeQueued;
    private ITimer? _closeTimer;
    private TraceSubscription? _smtp;
    private long _droppedCarried;
    private int _pongLength;
    private bool _pongPending;

    private volatile bool _stats;
    private int _statsPending;
    private int _pingPending;
    private int _pendingReplies;
    private int _missedPongs;
    private long _lastReceived;
    private long _droppedReported;

    public WebSocketSession(WebSocketOptions options, TraceBus? bus, MetricsRegistry? metrics)
    {
        _options = options;
        _bus = bus;
        _metrics = metrics;
        _time = options.TimeProvider;
    }

    /// <summary>Where the closing handshake is.</summary>
    public WebSocketState State
    {
        get
        {
            lock (_gate) return _state;
        }
    }

    /// <summary>The code of the Close we sent (or queued); <see cref="WebSocketCloseCode.None"/> before.</summary>
    public WebSocketCloseCode CloseCode
    {
        get
        {
            lock (_gate) return _closeCode;
        }
    }

    /// <summary>The session's trace subscription, when subscribed to smtp (tests).</summary>
    internal TraceSubscription? Subscription
    {
        get
        {
            lock (_gate) return _smtp;
        }
    }

    /// <summary>Trace frames written to the connection so far.</summary>
    internal long TraceFramesSent => Interlocked.Read(ref _traceFramesSent);

    /// <summary>Socket sends (gathered) or pipe flushes (TLS) that carried those frames.</summary>
    internal long TraceSends => Interlocked.Read(ref _traceSends);

    /// <summary>Runs the session over an upgraded connection until it ends. Never throws for I/O faults.</summary>
    /// <param name="abort">Ends the transport at once (a peer that does not finish the closing handshake in time).</param>
    /// <param name="socket">
    /// The plain socket under <paramref name="output"/>, for gathered trace sends; null on TLS, where every
    /// byte goes through the encrypting stream (which copies it anyway), so frames are batched in the pipe.
    /// </param>
    public async Task RunAsync(PipeReader input, PipeWriter output, Action abort, Socket? socket = null)
    {
        _input = input;
        _output = output;
        _abort = abort;
        if (socket is not null) _gather = new SocketGatherWriter(socket, MaxTraceBatch);
        Volatile.Write(ref _lastReceived, _time.GetTimestamp());
        var writer = WriteLoopAsync();
        var ticker = TickLoopAsync(_stop.Token);
        try
        {
            await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionFault(ex))
        {
            // The peer vanished without a Close (1006 on its side): nothing left to say.
        }
        finally
        {
            await FinishAsync(writer, ticker).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Starts the closing handshake from our side (stall, ping timeout, shutdown, protocol fault):
    /// queues our Close, stops sending data, and aborts the connection if the peer has not finished
    /// within <see cref="WebSocketOptions.CloseTimeout"/>. Thread-safe; only the first call counts.
    /// </summary>
    public void BeginClose(WebSocketCloseCode code, byte[] reason)
    {
        lock (_gate)
        {
            if (_closeQueued || !WebSocketStateTable.Allows(_state, WebSocketOperation.SendClose)) return;
            _closeQueued = true;
            _closeCode = code;
            _closeReason = reason;
            if (_state == WebSocketState.Open)
            {
                _state = WebSocketState.CloseSent;
                _closeTimer = _time.CreateTimer(static s => ((WebSocketSession)s!).OnCloseTimeout(), this, _options.CloseTimeout, Timeout.InfiniteTimeSpan);
            }
        }
        _outbox.Writer.TryWrite(WebSocketOutgoing.Of(WebSocketOutgoingKind.Close));
    }

    private void OnCloseTimeout()
    {
        lock (_gate)
        {
            if (_state == WebSocketState.Closed) return;
        }
        _abort();
        _input.CancelPendingRead();
    }

    // ---- read side ----

    private async Task ReadLoopAsync()
    {
        while (true)
        {
            var result = await _input.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            bool more = ProcessFrames(buffer, out var consumed);
            _input.AdvanceTo(consumed, buffer.End);
            if (!more || result.IsCanceled || result.IsCompleted) return;
        }
    }

    /// <summary>Handles every whole frame in <paramref name="buffer"/>; false when reading must stop.</summary>
    private bool ProcessFrames(ReadOnlySequence<byte> buffer, out SequencePosition consumed)
    {
        var reader = new SequenceReader<byte>(buffer);
        try
        {
            while (true)
            {
                if (!WebSocketStateTable.Allows(State, WebSocketOperation.Receive)) return false;
                long before = reader.Consumed;
                var result = _frames.Read(ref reader);
                if (reader.Consumed != before) Touch();
                switch (result.Status)
                {
                    case WebSocketReadStatus.NeedMore:
                        return true;
                    case WebSocketReadStatus.Error:
                        // RFC 6455 §7.1.7: fail the connection, with the code that names the fault.
                        Fail(result.CloseCode);
                        return false;
                    case WebSocketReadStatus.Control:
                        if (!OnControl(result.Opcode)) return false;
                        break;
                    default:
                        OnMessage(result.Opcode);
                        break;
                }
            }
        }
        finally
        {
            consumed = reader.Position;
        }
    }

    private void Touch()
    {
        Volatile.Write(ref _lastReceived, _time.GetTimestamp());
        // Anything from the peer proves it is alive, a pong or not.
        Volatile.Write(ref _missedPongs, 0);
    }

    private void Fail(WebSocketCloseCode code)
    {
        var reason = code switch
        {
            WebSocketCloseCode.InvalidPayloadData => InvalidUtf8,
            WebSocketCloseCode.MessageTooBig => TooBig,
            _ => ProtocolFault,
        };
        BeginClose(code, reason);
    }

    /// <summary>Ping, pong or close; false when reading stops (a Close arrived).</summary>
    private bool OnControl(WebSocketOpcode opcode)
    {
        switch (opcode)
        {
            case WebSocketOpcode.Ping:
                QueuePong(_frames.ControlPayload);
                return true;
            case WebSocketOpcode.Pong:
                return true;
            default:
                OnCloseReceived(_frames.ReceivedCloseCode);
                return false;
        }
    }

    private void QueuePong(ReadOnlySpan<byte> payload)
    {
        bool queue;
        lock (_gate)
        {
            if (!WebSocketStateTable.Allows(_state, WebSocketOperation.SendPingPong)) return;
            // §5.5.3: a pong echoes the ping's payload; only the latest ping needs an answer.
            payload.CopyTo(_pong);
            _pongLength = payload.Length;
            queue = !_pongPending;
            _pongPending = true;
        }
        if (queue) _outbox.Writer.TryWrite(WebSocketOutgoing.Of(WebSocketOutgoingKind.Pong));
    }

    private void OnCloseReceived(WebSocketCloseCode received)
    {
        bool reply = false;
        lock (_gate)
        {
            if (_state == WebSocketState.Open)
            {
                // §5.5.1: answer with a Close, echoing the code (none when the peer sent none).
                _state = WebSocketState.CloseReceived;
                reply = true;
            }
            else if (_state == WebSocketState.CloseSent)
            {
                _state = WebSocketState.Closed;
                _closeTimer?.Dispose();
            }
        }
        if (reply) BeginClose(received == WebSocketCloseCode.NoStatusReceived ? WebSocketCloseCode.None : received, []);
    }

    private void OnMessage(WebSocketOpcode opcode)
    {
        // Once our Close is out, messages are read only to reach the peer's Close (§5.5.1).
        if (State != WebSocketState.Open) return;
        if (opcode == WebSocketOpcode.Binary)
        {
            Reply(WebSocketReplies.Binary);
            return;
        }
        if (_frames.MessageTruncated)
        {
            Reply(WebSocketReplies.TooLong);
            return;
        }
        if (!WebSocketCommandParser.TryParse(_frames.Message, out var command, out var error))
        {
            Reply(error);
            return;
        }
        if (command.Channel == WebSocketChannel.Stats)
        {
            _stats = command.Subscribe;
            Reply(command.Subscribe ? WebSocketReplies.SubscribedStats : WebSocketReplies.UnsubscribedStats);
            return;
        }
        if (!command.Subscribe)
        {
            Unsubscribe();
            Reply(WebSocketReplies.UnsubscribedSmtp);
            return;
        }
        if (_bus is null)
        {
            Reply(WebSocketReplies.TraceUnavailable);
            return;
        }
        var filter = command.Outbound is null && command.Peer is null ? TraceFilter.All : new TraceFilter(command.Outbound, command.Peer);
        lock (_gate)
        {
            if (_smtp is { IsActive: true } current) current.Filter = filter;
            else _smtp = _bus.Subscribe(this, filter);
        }
        Reply(WebSocketReplies.SubscribedSmtp);
    }

    private void Unsubscribe()
    {
        lock (_gate)
        {
            if (_smtp is not { } subscription) return;
            _smtp = null;
            _droppedCarried += subscription.DroppedCount;
            subscription.Dispose();
        }
    }

    private void Reply(byte[] json)
    {
        if (Interlocked.Increment(ref _pendingReplies) > _options.MaxPendingReplies)
        {
            BeginClose(WebSocketCloseCode.PolicyViolation, TooManyReplies);
            return;
        }
        _outbox.Writer.TryWrite(WebSocketOutgoing.Text(json));
    }

    // ---- trace sink (publisher threads) ----

    bool ITraceSink.TryEnqueue(TraceChunk chunk, TraceSubscription subscription) =>
        _outbox.Writer.TryWrite(WebSocketOutgoing.Trace(chunk, subscription));

    void ITraceSink.OnStalled(TraceSubscription subscription) =>
        BeginClose(WebSocketCloseCode.PolicyViolation, TooSlow);

    // ---- write side ----

    /// <summary>Trace frames per gathered send at most (Linux allows 1,024 iovecs per sendmsg).</summary>
    internal const int MaxTraceBatch = 256;

    /// <summary>
    /// The only writer of the connection. Each wake-up drains everything queued and sends it with one
    /// syscall where it can: queued trace frames go out in one gathered send straight from their shared
    /// chunk buffers (plain sockets), or are batched into the pipe and flushed once (TLS). A subscriber
    /// that keeps up gets one frame per send; one that falls behind gets many per send, so the cost per
    /// frame falls exactly when the load rises. Order is kept by never holding pipe bytes and gathered
    /// frames at the same time: whichever kind comes next sends the other kind first. Each chunk is
    /// completed (its reference released) only after its bytes were handed to the socket or copied.
    /// </summary>
    private async Task WriteLoopAsync()
    {
        var reader = _outbox.Reader;
        var sent = new List<TraceChunk>(MaxTraceBatch);
        TraceSubscription? sentBy = null;
        bool pipeDirty = false;
        using var json = new PooledBufferWriter(1024);
        using var jsonWriter = new Utf8JsonWriter(json);
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var item))
                {
                    if (item.Kind == WebSocketOutgoingKind.Trace)
                    {
                        var chunk = item.Chunk!;
                        var subscription = item.Subscription!;
                        if (!subscription.IsActive || !Allows(WebSocketOperation.SendData))
                        {
                            subscription.Complete(chunk);
                            continue;
                        }
                        if (_gather is null)
                        {
                            // TLS: SslStream encrypts into its own buffer whatever we do, so the copy into
                            // the pipe costs nothing extra and turns N frames into one flush.
                            _output.Write(chunk.Frame.Span);
                            subscription.Complete(chunk);
                            Interlocked.Increment(ref _traceFramesSent);
                            if (!pipeDirty) Interlocked.Increment(ref _traceSends);
                            pipeDirty = true;
                            continue;
                        }
                        if (pipeDirty)
                        {
                            if (!await FlushAsync().ConfigureAwait(false)) return;
                            pipeDirty = false;
                        }
                        // A session has one trace subscription at a time; a re-subscribe after an
                        // unsubscribe is a new one, so send what the old one queued before mixing.
                        if (sent.Count > 0 && sentBy != subscription) await SendGatheredAsync(sent, sentBy!).ConfigureAwait(false);
                        _gather.Add(FrameSegment(chunk));
                        sent.Add(chunk);
                        sentBy = subscription;
                        if (sent.Count == MaxTraceBatch) await SendGatheredAsync(sent, sentBy).ConfigureAwait(false);
                        continue;
                    }

                    if (sent.Count > 0) await SendGatheredAsync(sent, sentBy!).ConfigureAwait(false);
                    switch (item.Kind)
                    {
                        case WebSocketOutgoingKind.Reply:
                            Interlocked.Decrement(ref _pendingReplies);
                            if (Allows(WebSocketOperation.SendData))
                                WebSocketFrameWriter.WriteFrame(_output, WebSocketOpcode.Text, item.Reply);
                            break;
                        case WebSocketOutgoingKind.Stats:
                            Volatile.Write(ref _statsPending, 0);
                            if (_stats && Allows(WebSocketOperation.SendData))
                                WriteStats(json, jsonWriter);
                            break;
                        case WebSocketOutgoingKind.Ping:
                            Volatile.Write(ref _pingPending, 0);
                            if (Allows(WebSocketOperation.SendPingPong))
                                WebSocketFrameWriter.WriteFrame(_output, WebSocketOpcode.Ping, default);
                            break;
                        case WebSocketOutgoingKind.Pong:
                            WritePong();
                            break;
                        case WebSocketOutgoingKind.Close:
                            await WriteCloseAsync().ConfigureAwait(false);
                            return;
                    }
                    pipeDirty = true;
                }
                if (sent.Count > 0) await SendGatheredAsync(sent, sentBy!).ConfigureAwait(false);
                if (pipeDirty)
                {
                    if (!await FlushAsync().ConfigureAwait(false)) return;
                    pipeDirty = false;
                }
            }
        }
        catch (Exception ex) when (IsConnectionFault(ex))
        {
            // The socket is gone; make the read loop notice if it is still waiting.
            _input.CancelPendingRead();
        }
        finally
        {
            // Frames handed to a send that failed: their references go back all the same.
            foreach (var chunk in sent) sentBy!.Complete(chunk);
        }
    }

    private async ValueTask<bool> FlushAsync()
    {
        var result = await _output.FlushAsync().ConfigureAwait(false);
        return !(result.IsCompleted || result.IsCanceled);
    }

    /// <summary>One gathered send of the frames in <paramref name="sent"/>, then their chunks are completed.</summary>
    private async ValueTask SendGatheredAsync(List<TraceChunk> sent, TraceSubscription subscription)
    {
        await _gather!.SendAsync().ConfigureAwait(false);
        Interlocked.Increment(ref _traceSends);
        Interlocked.Add(ref _traceFramesSent, sent.Count);
        foreach (var chunk in sent) subscription.Complete(chunk);
        sent.Clear();
    }

    private static ArraySegment<byte> FrameSegment(TraceChunk chunk) =>
        MemoryMarshal.TryGetArray(chunk.Frame, out var segment) ? segment : throw new InvalidOperationException("trace chunks are array-backed");

    private bool Allows(WebSocketOperation operation) => WebSocketStateTable.Allows(State, operation);

    private void WritePong()
    {
        Span<byte> payload = stackalloc byte[WebSocketLimits.MaxControlPayload];
        int length;
        lock (_gate)
        {
            _pongPending = false;
            if (!WebSocketStateTable.Allows(_state, WebSocketOperation.SendPingPong)) return;
            length = _pongLength;
            _pong.AsSpan(0, length).CopyTo(payload);
        }
        WebSocketFrameWriter.WriteFrame(_output, WebSocketOpcode.Pong, payload[..length]);
    }

    private async ValueTask WriteCloseAsync()
    {
        WebSocketCloseCode code;
        byte[] reason;
        lock (_gate)
        {
            code = _closeCode;
            reason = _closeReason;
        }
        WebSocketFrameWriter.WriteClose(_output, code, reason);
        await _output.FlushAsync().ConfigureAwait(false);
        lock (_gate)
        {
            // Answering the peer's Close completes the handshake; our own Close waits for its answer.
            if (_state == WebSocketState.CloseReceived) _state = WebSocketState.Closed;
        }
    }

    private void WriteStats(PooledBufferWriter json, Utf8JsonWriter writer)
    {
        long dropped;
        lock (_gate) dropped = _droppedCarried + (_smtp?.DroppedCount ?? 0);
        json.Reset();
        writer.Reset(json);
        writer.WriteStartObject();
        writer.WritePropertyName(StatsName);
        writer.WriteStartObject();
        _metrics?.WriteProperties(writer);
        writer.WriteEndObject();
        writer.WriteNumber(TimeName, _time.GetUtcNow().ToUnixTimeMilliseconds());
        writer.WriteNumber(DroppedName, dropped - _droppedReported);
        writer.WriteNumber(DroppedTotalName, dropped);
        writer.WriteEndObject();
        writer.Flush();
        _droppedReported = dropped;
        WebSocketFrameWriter.WriteFrame(_output, WebSocketOpcode.Text, json.WrittenSpan);
    }

    // ---- timers ----

    private async Task TickLoopAsync(CancellationToken token)
    {
        var tick = _options.TickInterval;
        long statsDue = _time.GetTimestamp();
        long lastPing = 0;
        try
        {
            using var timer = new PeriodicTimer(tick, _time);
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                if (State != WebSocketState.Open) continue;
                long now = _time.GetTimestamp();
                if (_stats && _time.GetElapsedTime(statsDue, now) >= _options.StatsInterval - tick / 2)
                {
                    statsDue = now;
                    if (Interlocked.Exchange(ref _statsPending, 1) == 0)
                        _outbox.Writer.TryWrite(WebSocketOutgoing.Of(WebSocketOutgoingKind.Stats));
                }
                // Idle means nothing received, and no ping of ours, for a whole interval.
                long idleSince = Math.Max(Volatile.Read(ref _lastReceived), lastPing);
                if (_time.GetElapsedTime(idleSince, now) >= _options.PingInterval - tick / 2)
                {
                    if (Volatile.Read(ref _missedPongs) >= _options.MaxMissedPongs)
                    {
                        BeginClose(WebSocketCloseCode.PolicyViolation, PongTimeout);
                        continue;
                    }
                    Interlocked.Increment(ref _missedPongs);
                    lastPing = now;
                    if (Interlocked.Exchange(ref _pingPending, 1) == 0)
                        _outbox.Writer.TryWrite(WebSocketOutgoing.Of(WebSocketOutgoingKind.Ping));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // ---- the end ----

    private async Task FinishAsync(Task writer, Task ticker)
    {
        lock (_gate)
        {
            // Whatever is still queued is not sent, except a Close already queued (the writer sends it
            // before anything else it would skip).
            if (!_closeQueued) _state = WebSocketState.Closed;
        }
        Unsubscribe();
        _outbox.Writer.TryComplete();
        try
        {
            await writer.WaitAsync(_options.CloseTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The peer stopped reading: our last frames cannot leave. End the connection.
            _abort();
            await writer.ConfigureAwait(false);
        }
        lock (_gate)
        {
            _state = WebSocketState.Closed;
            _closeTimer?.Dispose();
        }
        _stop.Cancel();
        await ticker.ConfigureAwait(false);
        // Give back every chunk reference the writer did not get to.
        while (_outbox.Reader.TryRead(out var item))
        {
            if (item.Kind == WebSocketOutgoingKind.Trace) item.Subscription!.Complete(item.Chunk!);
        }
        _frames.Dispose();
        _gather?.Dispose();
        _stop.Dispose();
    }

    // The same faults HttpConnection treats as "the peer went away"; anything else is a bug and surfaces.
    private static bool IsConnectionFault(Exception ex) =>
        ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException
            or InvalidOperationException { InnerException: IOException };
}
