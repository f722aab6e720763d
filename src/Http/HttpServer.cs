using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using MailerQ.Www.Core.Buffers;
using MailerQ.Www.Core.Limits;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Http.Connections;
using MailerQ.Www.Http.Infrastructure;
using MailerQ.Www.Http.Routing;
using Microsoft.Extensions.ObjectPool;

namespace MailerQ.Www.Http;

/// <summary>
/// The console's HTTP/1.1 server: raw sockets, System.IO.Pipelines, an exact connection cap.
/// </summary>
/// <remarks>
/// Accept loops take a slot from <see cref="Limiter"/> before a connection is handed to the thread
/// pool; a connection that finds no slot gets a fixed 503 and is closed without a byte of it being
/// read. Deadlines of all connections are checked by one <see cref="Heartbeat"/>.
/// </remarks>
internal sealed class HttpServer : IAsyncDisposable
{
    private static readonly byte[] ServiceUnavailable =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 20\r\nConnection: close\r\n\r\nservice unavailable\n"u8.ToArray();

    private readonly HttpHandler _application;
    private readonly List<(Socket Socket, HttpEndpoint Endpoint)> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly ConcurrentDictionary<long, HttpConnection> _connections = new();
    private readonly ObjectPool<HttpContext> _contexts;
    private readonly CancellationTokenSource _stopping = new();
    private Heartbeat? _heartbeat;
    private long _nextId;
    private TaskCompletionSource? _drained;

    public HttpServer(HttpServerOptions options, HttpHandler application)
    {
        Options = options;
        _application = application;
        Limiter = new ConnectionLimiter(options.MaxConnections);
        var pool = new BlockMemoryPool();
        ReaderOptions = new StreamPipeReaderOptions(pool, bufferSize: BlockMemoryPool.BlockSize, minimumReadSize: 1024, leaveOpen: true);
        WriterOptions = new StreamPipeWriterOptions(pool, minimumBufferSize: BlockMemoryPool.BlockSize, leaveOpen: true);
        _contexts = new DefaultObjectPool<HttpContext>(new ContextPolicy(), Math.Min(options.MaxConnections, 1024));
    }

    public HttpServerOptions Options { get; }

    /// <summary>The exact connection cap and its live count (for /metrics and tests).</summary>
    public ConnectionLimiter Limiter { get; }

    /// <summary>Sockets closed without the half-close reset problem.</summary>
    internal ConnectionLingerer Lingerer { get; } = new();

    internal StreamPipeReaderOptions ReaderOptions { get; }
    internal StreamPipeWriterOptions WriterOptions { get; }

    /// <summary>Connections answered 503 because the cap was reached.</summary>
    public long RejectedConnections => Interlocked.Read(ref _rejected);
    private long _rejected;

    /// <summary>Responses sent, by status class: index 1 = 1xx … 5 = 5xx (index 0 unused). For <c>/metrics</c>.</summary>
    private readonly long[] _responsesByClass = new long[6];

    /// <summary>Responses sent with a status in <c><paramref name="statusClass"/>xx</c> (1…5), 503s to refused connections included.</summary>
    public long ResponsesOfClass(int statusClass) =>
        statusClass is >= 1 and <= 5 ? Interlocked.Read(ref _responsesByClass[statusClass]) + (statusClass == 5 ? RejectedConnections : 0) : 0;

    internal void CountResponse(int status)
    {
        int statusClass = status / 100;
        if (statusClass is >= 1 and <= 5) Interlocked.Increment(ref _responsesByClass[statusClass]);
    }

    /// <summary>Adds the open connections into <paramref name="counts"/>, indexed by <see cref="ConnectionPhase"/>.</summary>
    internal void CountConnectionsByPhase(Span<long> counts)
    {
        foreach (var pair in _connections)
        {
            int phase = (int)pair.Value.Phase;
            if (phase < counts.Length) counts[phase]++;
        }
    }

    /// <summary>The addresses actually bound (port 0 resolved), in endpoint order.</summary>
    public IReadOnlyList<IPEndPoint> BoundEndPoints =>
        _listeners.ConvertAll(l => (IPEndPoint)l.Socket.LocalEndPoint!);

    /// <summary>Binds every endpoint and starts accepting. Throws <see cref="SocketException"/> when one cannot be bound.</summary>
    public void Start()
    {
        try
        {
            foreach (var endpoint in Options.Endpoints)
                _listeners.Add((Bind(endpoint.EndPoint), endpoint));
        }
        catch
        {
            foreach (var (socket, _) in _listeners) socket.Dispose();
            _listeners.Clear();
            throw;
        }
        _heartbeat = new Heartbeat(OnHeartbeat);
        foreach (var (socket, endpoint) in _listeners)
        {
            Log.Info("http", "listening", $"address={(endpoint.IsTls ? "https" : "http")}://{Format((IPEndPoint)socket.LocalEndPoint!)} connections={Options.MaxConnections}");
            _acceptLoops.Add(AcceptLoopAsync(socket, endpoint));
        }
    }

    private static string Format(IPEndPoint ep) =>
        ep.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ep.Address}]:{ep.Port}" : ep.ToString();

    private Socket Bind(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // www-ip empty means every address: one IPv6 socket that also takes IPv4 (dual-stack).
            if (endPoint.Address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endPoint);
            socket.Listen(Options.Backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task AcceptLoopAsync(Socket listener, HttpEndpoint endpoint)
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // EMFILE and friends: back off instead of spinning, keep serving what is open.
                Log.Warning("http", "accept failed", $"error={Log.Quote(ex.Message)}");
                try
                {
                    await Task.Delay(50, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }

            socket.NoDelay = true;
            if (!Limiter.TryAcquire())
            {
                Interlocked.Increment(ref _rejected);
                _ = RejectAsync(socket);
                continue;
            }

            var connection = new HttpConnection(this, socket, endpoint, Interlocked.Increment(ref _nextId));
            _connections[connection.Id] = connection;
            if (_stopping.IsCancellationRequested) connection.BeginShutdown();
            ThreadPool.UnsafeQueueUserWorkItem(connection, preferLocal: false);
        }
    }

    /// <summary>Connection N+1: a fixed 503 and a close, without reading the request (contract).</summary>
    private async Task RejectAsync(Socket socket)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.SendAsync(ServiceUnavailable, SocketFlags.None, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Dispose();
            return;
        }
        await Lingerer.LingerAndCloseAsync(socket).ConfigureAwait(false);
    }

    internal async ValueTask InvokeApplicationAsync(HttpContext context, HttpHandler? endpointApplication)
    {
        try
        {
            await (endpointApplication ?? _application)(context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.Error("http", "handler failed", $"conn={context.ConnectionId} error={Log.Quote(ex.GetType().Name + ": " + ex.Message)}");
            context.Response.SetError(500, close: true);
        }
    }

    internal HttpContext RentContext(HttpConnection connection)
    {
        var context = _contexts.Get();
        context.Connection = connection;
        return context;
    }

    internal void ReturnContext(HttpContext context)
    {
        context.Connection = null!;
        _contexts.Return(context);
    }

    internal void OnConnectionClosed(HttpConnection connection)
    {
        _connections.TryRemove(connection.Id, out _);
        Limiter.Release();
        if (_connections.IsEmpty) _drained?.TrySetResult();
    }

    private void OnHeartbeat(long now)
    {
        foreach (var pair in _connections)
            pair.Value.OnHeartbeat(now);
    }

    /// <summary>
    /// Graceful stop: close the listeners, let in-flight requests finish their responses, close idle
    /// connections, and abort whatever is left when <paramref name="timeout"/> is spent.
    /// </summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_stopping.IsCancellationRequested) return;
        _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _stopping.Cancel();
        foreach (var (socket, _) in _listeners) socket.Dispose();
        try
        {
            await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
        }

        foreach (var pair in _connections) pair.Value.BeginShutdown();
        if (!_connections.IsEmpty)
        {
            var finished = await Task.WhenAny(_drained.Task, Task.Delay(timeout)).ConfigureAwait(false);
            if (finished != _drained.Task)
            {
                Log.Warning("http", "stop timeout, aborting connections", $"open={_connections.Count}");
                foreach (var pair in _connections) pair.Value.Abort();
            }
        }
        _heartbeat?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private sealed class ContextPolicy : PooledObjectPolicy<HttpContext>
    {
        public override HttpContext Create() => new();

        public override bool Return(HttpContext obj)
        {
            obj.Response.Begin();
            obj.Request.Reset();
            return true;
        }
    }
}
