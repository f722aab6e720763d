using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MailerQ.Www.Core.Buffers;
using MailerQ.Www.Core.Limits;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Smtp.Sessions;
using MailerQ.Www.Core.Sessions;

namespace MailerQ.Www.Smtp;

/// <summary>
/// The inbound ESMTP server: raw sockets, System.IO.Pipelines, an exact connection cap, a durable queue
/// behind every 250. Same shape as the console's HttpServer: <see cref="Start"/>, <see cref="StopAsync"/>.
/// </summary>
/// <remarks>
/// Accept loops take a slot from <see cref="Limiter"/> before a session is handed to the thread pool; a
/// connection that finds no slot gets <c>421 4.7.0</c> and is closed without a byte of it being read
/// (RFC 5321 section 3.1 allows 421 as the greeting).
/// </remarks>
internal sealed class SmtpServer : IAsyncDisposable
{
    private readonly List<(Socket Socket, SmtpEndpoint Endpoint)> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly ConcurrentDictionary<long, SmtpSession> _sessions = new();
    private readonly CancellationTokenSource _stopping = new();
    private long _rejected;
    private TaskCompletionSource? _drained;

    public SmtpServer(SmtpServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Limiter = new ConnectionLimiter(options.MaxConnections);
        var pool = new BlockMemoryPool();
        ReaderOptions = new StreamPipeReaderOptions(pool, bufferSize: BlockMemoryPool.BlockSize, minimumReadSize: 1024, leaveOpen: true);
        WriterOptions = new StreamPipeWriterOptions(pool, minimumBufferSize: BlockMemoryPool.BlockSize, leaveOpen: true);
        string host = options.HostName;
        Greeting = Encoding.ASCII.GetBytes($"220 {host} ESMTP MailerQ.Www\r\n");
        HeloReply = Encoding.ASCII.GetBytes($"250 {host}\r\n");
        EhloFirstLine = Encoding.ASCII.GetBytes($"250-{host}\r\n");
        TimedOut = Encoding.ASCII.GetBytes($"421 4.4.2 {host} Error: timeout exceeded\r\n");
        TooManyErrors = Encoding.ASCII.GetBytes($"421 4.7.0 {host} Error: too many errors\r\n");
        ShuttingDown = Encoding.ASCII.GetBytes($"421 4.3.2 {host} Service shutting down\r\n");
        TooManyConnections = Encoding.ASCII.GetBytes($"421 4.7.0 {host} Too many connections, try again later\r\n");
    }

    public SmtpServerOptions Options { get; }

    /// <summary>The exact connection cap and its live count.</summary>
    public ConnectionLimiter Limiter { get; }

    /// <summary>Connections refused with 421 at the cap.</summary>
    public long RejectedConnections => Interlocked.Read(ref _rejected);

    internal StreamPipeReaderOptions ReaderOptions { get; }
    internal StreamPipeWriterOptions WriterOptions { get; }
    internal byte[] Greeting { get; }
    internal byte[] HeloReply { get; }
    internal byte[] EhloFirstLine { get; }
    internal byte[] TimedOut { get; }
    internal byte[] TooManyErrors { get; }
    internal byte[] ShuttingDown { get; }
    internal byte[] TooManyConnections { get; }

    /// <summary>The addresses actually bound (port 0 resolved), in endpoint order.</summary>
    public IReadOnlyList<IPEndPoint> BoundEndPoints => _listeners.ConvertAll(l => (IPEndPoint)l.Socket.LocalEndPoint!);

    /// <summary>Binds every endpoint and starts accepting. Throws <see cref="SocketException"/> when one cannot be bound.</summary>
    public void Start()
    {
        foreach (var endpoint in Options.Endpoints)
        {
            if (endpoint.ImplicitTls && Options.Tls is null)
                throw new InvalidOperationException($"implicit TLS on {endpoint.EndPoint} needs SmtpServerOptions.Tls (smtp-certificate, smtp-key)");
        }
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
        bool relayDefault = Options.RelayNetworks == Core.Config.SmtpSettings.LoopbackRange;
        foreach (var (socket, endpoint) in _listeners)
        {
            Log.Info("smtp", "listening", $"address={(endpoint.ImplicitTls ? "smtps" : "smtp")}://{socket.LocalEndPoint} connections={Options.MaxConnections} starttls={(Options.Tls is not null && !endpoint.ImplicitTls ? "yes" : "no")} auth={(Options.Authenticator is null ? "off" : "on")}");
            _acceptLoops.Add(AcceptLoopAsync(socket, endpoint));
        }
        if (relayDefault)
            Log.Info("smtp", "relay allowed from loopback only (smtp-range unset); other clients must authenticate when smtp-auth is set");
    }

    private Socket Bind(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.Address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endPoint);
            socket.Listen(Options.Backlog);
            // Accepting inline saves the pool handoff per connection (smtp-source opens one per message).
            if (Options.InlineCompletions)
                InlineCompletions.TrySet(socket, true);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task AcceptLoopAsync(Socket listener, SmtpEndpoint endpoint)
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // EMFILE and friends: back off instead of spinning, keep serving what is open.
                Log.Warning("smtp", "accept failed", $"error={Log.Quote(ex.Message)}");
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
            // Plain-text sessions run on the epoll thread from the start (InlineCompletions says when they leave it).
            bool inline = Options.InlineCompletions && !endpoint.ImplicitTls && InlineCompletions.TrySet(socket, true);
            Options.Counters.Connection();
            if (!Limiter.TryAcquire())
            {
                Interlocked.Increment(ref _rejected);
                Options.Counters.Reject(SmtpRejection.ConnectionLimit);
                _ = RejectAsync(socket);
                continue;
            }

            var session = new SmtpSession(this, socket, endpoint, SessionIds.Next(), inline);
            _sessions[session.Id] = session;
            if (_stopping.IsCancellationRequested) session.BeginShutdown();
            if (inline)
                _ = session.ExecuteAsync(); // sends the greeting and returns at its first read
            else
                ThreadPool.UnsafeQueueUserWorkItem(session, preferLocal: false);
        }
    }

    /// <summary>Connection N+1: 421 and close, nothing read (plain text even on a TLS port: there is no handshake to spend).</summary>
    private async Task RejectAsync(Socket socket)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.SendAsync(TooManyConnections, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Send);
            // Give the peer a moment to read the reply before the close, so no reset overtakes it.
            var discard = new byte[256];
            while (await socket.ReceiveAsync(discard, SocketFlags.None, timeout.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }

    internal void OnSessionClosed(SmtpSession session)
    {
        _sessions.TryRemove(session.Id, out _);
        Limiter.Release();
        if (_sessions.IsEmpty) _drained?.TrySetResult();
    }

    /// <summary>
    /// Graceful stop (CONTRACT.md SIGTERM): close the listeners, let open transactions finish, send 421 to idle
    /// sessions, and abort whatever is left when <paramref name="timeout"/> is spent.
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
        foreach (var pair in _sessions) pair.Value.BeginShutdown();
        if (!_sessions.IsEmpty)
        {
            var finished = await Task.WhenAny(_drained.Task, Task.Delay(timeout)).ConfigureAwait(false);
            if (finished != _drained.Task)
            {
                Log.Warning("smtp", "stop timeout, aborting sessions", $"open={_sessions.Count}");
                foreach (var pair in _sessions) pair.Value.Abort();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero).ConfigureAwait(false);
        _stopping.Dispose();
    }
}
