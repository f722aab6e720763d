using System.Net;
using System.Net.Sockets;

namespace MailerQ.Www.AuthNet.Tests.Fixtures;

/// <summary>
/// An in-process TCP server on a free loopback port for edge cases a real slapd never produces (a
/// server that accepts and never answers, malformed or oversized responses). Each connection runs
/// <c>handler</c>; the server and its connections end on dispose.
/// </summary>
internal sealed class FakeTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly List<Task> _connections = [];
    private int _accepted;

    public FakeTcpServer(Func<NetworkStream, CancellationToken, Task> handler)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptAsync(handler);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Accepted => Volatile.Read(ref _accepted);

    private async Task AcceptAsync(Func<NetworkStream, CancellationToken, Task> handler)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            // Stopping the listener while an accept is pending surfaces as any of these, depending on timing.
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            Interlocked.Increment(ref _accepted);
            lock (_connections)
                _connections.Add(RunAsync(client, handler));
        }
    }

    private async Task RunAsync(TcpClient client, Func<NetworkStream, CancellationToken, Task> handler)
    {
        using (client)
        {
            try
            {
                await handler(client.GetStream(), _stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                // The client went away or the test ended.
            }
        }
    }

    /// <summary>Reads one whole LDAPMessage (short or long-form length) from the client.</summary>
    public static async Task<byte[]> ReadLdapMessageAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        byte[] header = new byte[2];
        await stream.ReadExactlyAsync(header, cancellationToken);
        int length = header[1];
        byte[] lengthBytes = [];
        if (length >= 0x80)
        {
            lengthBytes = new byte[length & 0x7F];
            await stream.ReadExactlyAsync(lengthBytes, cancellationToken);
            length = 0;
            foreach (byte b in lengthBytes) length = (length << 8) | b;
        }
        byte[] body = new byte[length];
        await stream.ReadExactlyAsync(body, cancellationToken);
        return [.. header, .. lengthBytes, .. body];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Task[] connections;
        lock (_connections) connections = [.. _connections];
        await Task.WhenAll(connections);
        _stop.Dispose();
    }
}
