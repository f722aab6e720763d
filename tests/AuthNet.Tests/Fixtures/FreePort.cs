using System.Net;
using System.Net.Sockets;

namespace MailerQ.Www.AuthNet.Tests.Fixtures;

/// <summary>Free loopback ports, asked from the kernel (bind to port 0) and released for the server to take.</summary>
internal static class FreePort
{
    public static int Tcp()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    public static int Udp()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
