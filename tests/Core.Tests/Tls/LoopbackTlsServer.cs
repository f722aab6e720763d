using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading.Channels;

namespace MailerQ.Www.Core.Tests.Tls;

/// <summary>
/// A loopback TcpListener that runs each accepted connection through <see cref="SslStream.AuthenticateAsServerAsync(SslServerAuthenticationOptions, CancellationToken)"/>
/// and reports the outcome, so a real client (openssl s_client) can be pointed at our options.
/// </summary>
internal sealed class LoopbackTlsServer : IAsyncDisposable
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(30);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly SslServerAuthenticationOptions _options;
    private readonly Channel<HandshakeOutcome> _outcomes = Channel.CreateUnbounded<HandshakeOutcome>();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _acceptLoop;

    public LoopbackTlsServer(SslServerAuthenticationOptions options)
    {
        _options = options;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The outcome of the next handshake, in accept order.</summary>
    public async Task<HandshakeOutcome> NextOutcomeAsync()
    {
        using var timeout = new CancellationTokenSource(HandshakeTimeout);
        return await _outcomes.Reader.ReadAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Task[] connections;
        lock (_connections)
            connections = [.. _connections];
        await Task.WhenAll(connections);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            // Stop() between two accepts makes the next accept throw InvalidOperationException ("Not listening").
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            lock (_connections)
                _connections.Add(ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        await using (var tls = new SslStream(client.GetStream()))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(HandshakeTimeout);
            try
            {
                await tls.AuthenticateAsServerAsync(_options, timeout.Token);
            }
            catch (Exception e)
            {
                _outcomes.Writer.TryWrite(new HandshakeOutcome(e, default, default, default));
                return;
            }

            _outcomes.Writer.TryWrite(new HandshakeOutcome(null, tls.SslProtocol, tls.NegotiatedCipherSuite, tls.NegotiatedApplicationProtocol));
            try
            {
                await tls.WriteAsync("hello\n"u8.ToArray(), timeout.Token);
                await tls.ShutdownAsync();
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                // The client may already be gone; the handshake is what the tests look at.
            }
        }
    }
}
