using System.Net;
using System.Net.Sockets;

namespace MailerQ.Www.AuthNet.Tests.Fixtures;

/// <summary>
/// An in-process UDP responder on a free loopback port for replies a real FreeRADIUS never sends
/// (forged authenticators, a missing Message-Authenticator, a wrong ID). For each request (and its sender) the
/// handler returns the datagrams to send back, in order; every request is kept for assertions.
/// </summary>
internal sealed class FakeRadiusServer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<RadiusTestPacket> _requests = [];

    public FakeRadiusServer(Func<RadiusTestPacket, IPEndPoint, IEnumerable<byte[]>> handler)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _loop = RunAsync(handler);
    }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public IReadOnlyList<RadiusTestPacket> Requests
    {
        get { lock (_requests) return [.. _requests]; }
    }

    private async Task RunAsync(Func<RadiusTestPacket, IPEndPoint, IEnumerable<byte[]>> handler)
    {
        byte[] buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // ICMP from a client that went away
            }
            var request = new RadiusTestPacket(buffer[..received.ReceivedBytes]);
            lock (_requests) _requests.Add(request);
            foreach (byte[] reply in handler(request, (IPEndPoint)received.RemoteEndPoint))
                await _socket.SendToAsync(reply, SocketFlags.None, received.RemoteEndPoint);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _socket.Dispose();
        _stop.Dispose();
    }
}
