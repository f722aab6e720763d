using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Http.Infrastructure;
using MailerQ.Www.Http.Parsing;
using MailerQ.Www.Http.Responses;
using MailerQ.Www.Http.WebSockets;

namespace MailerQ.Www.Http.Connections;

/// <summary>
/// One accepted connection: the request loop over a pipe pair (plain or TLS, one code path after the
/// handshake), keep-alive and pipelining with responses in order, bodies, timeouts and the close.
/// </summary>
/// <remarks>
/// Concurrency contract: the request loop runs on one logical thread at a time. The heartbeat may
/// call <see cref="OnHeartbeat"/> and the server may call <see cref="BeginShutdown"/> concurrently;
/// both only set flags, cancel a pending read, or dispose the socket.
/// The connection slot in <see cref="HttpServer.Limiter"/> was taken by the accept loop and is
/// released exactly once, in <see cref="ExecuteAsync"/>'s finally.
/// </remarks>
internal sealed class HttpConnection : IThreadPoolWorkItem
{
    private static readonly byte[] Continue100 = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();
    private static readonly byte[] ShuttingDown = "server shutting down"u8.ToArray();

    private readonly HttpServer _server;
    private readonly Socket _socket;
    private readonly HttpEndpoint _endpoint;
    private HttpContext _context = null!;
    private Stream? _stream;
    private PipeReader _input = null!;
    private PipeWriter _output = null!;

    private long _deadline = long.MaxValue;
    private volatile ConnectionPhase _phase;
    private int _timedOut;
    private volatile bool _stopping;
    private int _aborted;
    private int _released;

    // Body state of the current request.
    private long _bodyRemaining;
    private bool _bodyDone;
    private bool _bodyFailed;
    private bool _sent100;

    // Set once the connection switched protocols: no HTTP response follows the handler.
    private bool _upgraded;
    private volatile WebSocketSession? _webSocket;

    /// <summary>Where the connection is now, for <c>/metrics</c>' connections-by-state.</summary>
    internal ConnectionPhase Phase => _phase;

    public HttpConnection(HttpServer server, Socket socket, HttpEndpoint endpoint, long id)
    {
        _server = server;
        _socket = socket;
        _endpoint = endpoint;
        Id = id;
        RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint;
        LocalEndPoint = socket.LocalEndPoint as IPEndPoint;
    }

    public long Id { get; }
    public IPEndPoint? RemoteEndPoint { get; }
    public IPEndPoint? LocalEndPoint { get; }
    public bool IsTls { get; private set; }

    /// <summary>The endpoint the connection arrived on.</summary>
    public HttpEndpoint Endpoint => _endpoint;

    void IThreadPoolWorkItem.Execute() => _ = ExecuteAsync();

    /// <summary>Runs the connection to its end; never throws.</summary>
    public async Task ExecuteAsync()
    {
        _context = _server.RentContext(this);
        try
        {
            Stream stream = _stream = new NetworkStream(_socket, ownsSocket: false);
            if (_endpoint.TlsOptions is { } tlsOptions)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                // Assigned before the handshake so a failed or aborted one still disposes it.
                stream = _stream = ssl;
                SetDeadline(_server.Options.HandshakeTimeout, ConnectionPhase.Handshake);
                await ssl.AuthenticateAsServerAsync(tlsOptions()).ConfigureAwait(false);
                ClearDeadline();
                IsTls = true;
            }
            _input = PipeReader.Create(stream, _server.ReaderOptions);
            _output = PipeWriter.Create(stream, _server.WriterOptions);
            await ProcessRequestsAsync().ConfigureAwait(false);
            await _output.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionFault(ex))
        {
            // The peer went away, stalled past a deadline, or sent a broken TLS handshake.
        }
        catch (Exception ex)
        {
            Log.Error("http", "connection failed", $"conn={Id} error={Log.Quote(ex.GetType().Name + ": " + ex.Message)}");
        }
        finally
        {
            await CloseAsync().ConfigureAwait(false);
        }
    }

    private static bool IsConnectionFault(Exception ex) =>
        ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException
            or System.Security.Authentication.AuthenticationException or InvalidOperationException { InnerException: IOException };

    private async Task ProcessRequestsAsync()
    {
        var options = _server.Options;
        var context = _context;
        var request = context.Request;
        var response = context.Response;
        var parser = context.Parser;
        bool firstRequest = true;

        while (true)
        {
            parser.Reset();
            request.Reset();
            context.Chunked.Reset();
            _bodyDone = false;
            _bodyFailed = false;
            _sent100 = false;
            bool receivedAny = false;

            // The first request must arrive within the head timeout of the connection opening; a
            // kept-alive connection may idle longer and then gets the head timeout from its first byte.
            if (firstRequest) SetDeadline(options.RequestHeadTimeout, ConnectionPhase.ReadingHead);
            else SetDeadline(options.KeepAliveTimeout, ConnectionPhase.Idle);

            ParseStatus status;
            RequestRejection rejection;
            while (true)
            {
                if (_stopping && !receivedAny) return;
                var result = await _input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                if (result.IsCanceled)
                {
                    _input.AdvanceTo(buffer.Start, buffer.Start);
                    if (Volatile.Read(ref _timedOut) == 1)
                    {
                        if (_phase == ConnectionPhase.ReadingHead && (receivedAny || firstRequest))
                            await SendErrorAndCloseAsync(408).ConfigureAwait(false);
                        return;
                    }
                    if (_stopping && !receivedAny) return;
                    continue;
                }
                if (!receivedAny && !buffer.IsEmpty)
                {
                    receivedAny = true;
                    if (!firstRequest) SetDeadline(options.RequestHeadTimeout, ConnectionPhase.ReadingHead);
                }

                var reader = new SequenceReader<byte>(buffer);
                status = parser.ParseHead(ref reader, request, out rejection);
                if (status == ParseStatus.Done)
                {
                    _input.AdvanceTo(reader.Position);
                    break;
                }
                _input.AdvanceTo(reader.Position, buffer.End);
                if (status == ParseStatus.Error)
                {
                    await SendErrorAndCloseAsync(rejection.StatusCode()).ConfigureAwait(false);
                    return;
                }
                if (result.IsCompleted)
                {
                    // The peer half-closed: mid-head is malformed, between requests is a normal end.
                    if (receivedAny) await SendErrorAndCloseAsync(400).ConfigureAwait(false);
                    return;
                }
            }

            ClearDeadline(ConnectionPhase.Handling);
            firstRequest = false;
            _bodyRemaining = request.IsChunked ? -1 : Math.Max(0, request.ContentLength);
            response.Begin();
            context.Principal = null;

            await _server.InvokeApplicationAsync(context, _endpoint.Application).ConfigureAwait(false);
            if (_upgraded) return;

            bool keepAlive = request.KeepAlive && !response.CloseConnection && !_stopping && !_bodyFailed;
            if (keepAlive && !_bodyDone && request.HasBody)
            {
                // The handler ignored the body. Discard it to keep the connection, unless the client is
                // still waiting for 100 Continue (it may never send it) or it is too big to be worth it.
                if ((request.Expect100Continue && !_sent100) || (!request.IsChunked && _bodyRemaining > options.MaxDrainBytes))
                    keepAlive = false;
            }

            bool sendsBody = request.Method != HttpMethod.Head && ResponseWriter.BodyAllowed(response.StatusCode);
            var directBody = sendsBody && response.FilePath is null && response.BodyMemory.Length >= DirectBodyBytes
                ? response.BodyMemory : ReadOnlyMemory<byte>.Empty;
            WriteResponseHead(keepAlive, writeBody: directBody.IsEmpty);
            if (!directBody.IsEmpty)
            {
                await FlushAsync().ConfigureAwait(false);
                await WriteDirectAsync(directBody).ConfigureAwait(false);
            }
            else if (response.FilePath is not null && sendsBody)
            {
                if (!await WriteFileBodyAsync(response.FilePath, response.FileLength).ConfigureAwait(false))
                    return;
            }
            else if (!HasBufferedInput())
            {
                // Pipelined requests already buffered get their responses batched into one flush.
                await FlushAsync().ConfigureAwait(false);
            }

            if (!keepAlive) return;
            if (!_bodyDone && request.HasBody)
            {
                var drained = await ReadBodyCoreAsync(null, options.MaxDrainBytes, setErrorResponse: false).ConfigureAwait(false);
                if (drained != BodyReadStatus.Ok) return;
                // The buffered input that held the flush back may have been this very body: without a
                // next request behind it, the response would wait for the client, which waits for it.
                if (!HasBufferedInput()) await FlushAsync().ConfigureAwait(false);
            }
        }
    }

    private bool HasBufferedInput()
    {
        if (!_input.TryRead(out var result)) return false;
        bool more = !result.Buffer.IsEmpty;
        _input.AdvanceTo(result.Buffer.Start, result.Buffer.Start);
        return more;
    }

    internal ValueTask<BodyReadStatus> ReadBodyAsync(IBufferWriter<byte>? sink, long maxBytes) =>
        ReadBodyCoreAsync(sink, maxBytes, setErrorResponse: true);

    private async ValueTask<BodyReadStatus> ReadBodyCoreAsync(IBufferWriter<byte>? sink, long maxBytes, bool setErrorResponse)
    {
        var request = _context.Request;
        if (_bodyFailed) return BodyReadStatus.Aborted;
        if (_bodyDone || !request.HasBody)
        {
            _bodyDone = true;
            return BodyReadStatus.Ok;
        }
        if (!request.IsChunked && _bodyRemaining > maxBytes)
            return Fail(BodyReadStatus.TooLarge, 413, setErrorResponse);

        if (request.Expect100Continue && !_sent100 && request.Version == Parsing.HttpVersion.Http11)
        {
            // RFC 9110 §10.1.1: the client waits for this before sending the body.
            _sent100 = true;
            _output.Write(Continue100);
            await FlushAsync().ConfigureAwait(false);
        }

        var phase = _phase;
        try
        {
            var decoder = _context.Chunked;
            while (true)
            {
                SetDeadline(_server.Options.DataTimeout, ConnectionPhase.ReadingBody);
                var result = await _input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                if (result.IsCanceled)
                {
                    _input.AdvanceTo(buffer.Start, buffer.Start);
                    _bodyFailed = true;
                    return BodyReadStatus.Aborted;
                }

                if (request.IsChunked)
                {
                    var reader = new SequenceReader<byte>(buffer);
                    var status = decoder.Decode(ref reader, sink, maxBytes, out var rejection);
                    if (status == ParseStatus.Done)
                    {
                        _input.AdvanceTo(reader.Position);
                        _bodyDone = true;
                        return BodyReadStatus.Ok;
                    }
                    _input.AdvanceTo(reader.Position, buffer.End);
                    if (status == ParseStatus.Error)
                    {
                        return rejection == RequestRejection.BodyTooLarge
                            ? Fail(BodyReadStatus.TooLarge, 413, setErrorResponse)
                            : Fail(BodyReadStatus.Malformed, rejection.StatusCode(), setErrorResponse);
                    }
                }
                else
                {
                    long take = Math.Min(_bodyRemaining, buffer.Length);
                    var slice = buffer.Slice(0, take);
                    if (sink is not null)
                    {
                        foreach (var segment in slice)
                            sink.Write(segment.Span);
                    }
                    _bodyRemaining -= take;
                    _input.AdvanceTo(slice.End);
                    if (_bodyRemaining == 0)
                    {
                        _bodyDone = true;
                        return BodyReadStatus.Ok;
                    }
                }

                if (result.IsCompleted)
                {
                    _bodyFailed = true;
                    return BodyReadStatus.Aborted;
                }
            }
        }
        finally
        {
            ClearDeadline(phase);
        }
    }

    /// <summary>
    /// Writes the 101 and runs <paramref name="session"/> over this connection's pipes until it ends; the
    /// request loop then returns and the connection closes. Called from the handler, so the slot stays
    /// taken the whole time. Bytes the client sent after the head are already in <see cref="_input"/>.
    /// </summary>
    internal async ValueTask UpgradeToWebSocketAsync(WebSocketSession session)
    {
        _upgraded = true;
        _context.Response.CloseConnection = true;
        _server.CountResponse(101);
        WebSocketHandshake.WriteResponse(_output, _context.Request.SecWebSocketKey);
        try
        {
            await FlushAsync().ConfigureAwait(false);
            _webSocket = session;
            ClearDeadline(ConnectionPhase.WebSocket);
            // A shutdown that began before the phase was visible must still reach the session.
            if (_stopping) session.BeginClose(WebSocketCloseCode.GoingAway, ShuttingDown);
            // Plain connections let the session gather trace frames into one send straight from the socket.
            await session.RunAsync(_input, _output, Abort, IsTls ? null : _socket).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionFault(ex))
        {
        }
        finally
        {
            _webSocket = null;
            ClearDeadline();
        }
    }

    private BodyReadStatus Fail(BodyReadStatus status, int code, bool setErrorResponse)
    {
        _bodyFailed = true;
        if (setErrorResponse) _context.Response.SetError(code, close: true);
        _context.Response.CloseConnection = true;
        return status;
    }

    private void WriteResponseHead(bool keepAlive, bool writeBody = true)
    {
        _server.CountResponse(_context.Response.StatusCode);
        ResponseWriter.Write(_output, _context.Response, _context.Request, keepAlive, _endpoint.ResponseHeaders, writeBody);
    }

    /// <summary>
    /// Buffered bodies from this size on (cached static files up to 1 MiB) skip the pipe: copying them into
    /// 4 KiB pipe blocks costs a copy and one send per block, the stream takes the whole body in one write
    /// (one or a few sendmsg calls). Below it the copy is cheaper than a second send.
    /// </summary>
    private const int DirectBodyBytes = 16 * 1024;

    /// <summary>Writes <paramref name="body"/> straight to the connection's stream, after the pipe was flushed, under the data timeout.</summary>
    private async ValueTask WriteDirectAsync(ReadOnlyMemory<byte> body)
    {
        var phase = _phase;
        SetDeadline(_server.Options.DataTimeout, ConnectionPhase.Writing);
        try
        {
            await _stream!.WriteAsync(body).ConfigureAwait(false);
        }
        finally
        {
            ClearDeadline(phase);
        }
    }

    private async ValueTask<bool> WriteFileBodyAsync(string path, long length)
    {
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
                bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
            long left = length;
            while (left > 0)
            {
                var memory = _output.GetMemory(16 * 1024);
                if (memory.Length > left) memory = memory[..(int)left];
                int n = await file.ReadAsync(memory).ConfigureAwait(false);
                if (n == 0) break;
                _output.Advance(n);
                left -= n;
                await FlushAsync().ConfigureAwait(false);
            }
            // A file that shrank under us cannot honour the Content-Length already sent: end the connection.
            return left == 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private async ValueTask FlushAsync()
    {
        var phase = _phase;
        SetDeadline(_server.Options.DataTimeout, ConnectionPhase.Writing);
        try
        {
            await _output.FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            ClearDeadline(phase);
        }
    }

    private async ValueTask SendErrorAndCloseAsync(int status)
    {
        var response = _context.Response;
        response.Begin();
        response.SetError(status, close: true);
        WriteResponseHead(keepAlive: false);
        await FlushAsync().ConfigureAwait(false);
    }

    // ---- deadlines (read by the heartbeat) ----

    private void SetDeadline(TimeSpan timeout, ConnectionPhase phase)
    {
        _phase = phase;
        Volatile.Write(ref _deadline, Heartbeat.Now + (long)timeout.TotalMilliseconds);
    }

    private void ClearDeadline(ConnectionPhase phase = ConnectionPhase.Handling)
    {
        Volatile.Write(ref _deadline, long.MaxValue);
        _phase = phase;
    }

    /// <summary>Called by the heartbeat; acts on a passed deadline.</summary>
    public void OnHeartbeat(long now)
    {
        if (now < Volatile.Read(ref _deadline)) return;
        if (Interlocked.Exchange(ref _timedOut, 1) == 1) return;
        switch (_phase)
        {
            case ConnectionPhase.ReadingHead:
            case ConnectionPhase.Idle:
                // The read loop wakes with IsCanceled and answers 408 (or closes quietly when idle).
                _input?.CancelPendingRead();
                break;
            default:
                Abort();
                break;
        }
    }

    /// <summary>Graceful stop: idle connections end now, busy ones after their current response.</summary>
    public void BeginShutdown()
    {
        _stopping = true;
        if (_phase is ConnectionPhase.Idle or ConnectionPhase.ReadingHead)
            _input?.CancelPendingRead();
        else if (_webSocket is { } session)
            session.BeginClose(WebSocketCloseCode.GoingAway, ShuttingDown);
    }

    /// <summary>Ends the connection at once (deadline passed, shutdown budget spent).</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 1) return;
        try
        {
            _socket.Close(0);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async ValueTask CloseAsync()
    {
        try
        {
            if (_input is not null) await _input.CompleteAsync().ConfigureAwait(false);
            if (_output is not null) await _output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionFault(ex))
        {
        }

        _server.ReturnContext(_context);
        // The slot is free as soon as nothing more is served; the linger below only protects the
        // last response from a reset and belongs to no request.
        ReleaseSlot();
        if (Volatile.Read(ref _aborted) == 0)
            await _server.Lingerer.LingerAndCloseAsync(_socket).ConfigureAwait(false);
        try
        {
            if (_stream is not null) await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionFault(ex))
        {
        }
        _socket.Dispose();
    }

    private void ReleaseSlot()
    {
        if (Interlocked.Exchange(ref _released, 1) == 1) return;
        _server.OnConnectionClosed(this);
    }
}
