using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

/// <summary>
/// A minimal RFC 6455 client over a plain socket, for load: one handshake, masked frames out, and
/// unmasked server frames parsed in place from large reads (many frames per recv), so the 1,000
/// client loops cost as little as possible on the cores they share with the server.
/// </summary>
internal sealed class RawWebSocket : IDisposable
{
    private static readonly byte[] Mask = [0x12, 0x34, 0x56, 0x78];

    private RawWebSocket(Socket socket, byte[] leftover, int leftoverLength)
    {
        Socket = socket;
        Leftover = leftover;
        LeftoverLength = leftoverLength;
    }

    public Socket Socket { get; }

    /// <summary>Bytes read with the 101 that already belong to frames.</summary>
    public byte[] Leftover { get; }
    public int LeftoverLength { get; }

    /// <summary>Connects and upgrades; <paramref name="receiveBuffer"/> &gt; 0 sets SO_RCVBUF before connecting.</summary>
    public static async Task<RawWebSocket> ConnectAsync(int port, string? authorization, int receiveBuffer = 0, string path = "/ws")
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBuffer > 0) socket.ReceiveBufferSize = receiveBuffer;
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var head = $"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                   $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n" +
                   (authorization is null ? "" : $"Authorization: {authorization}\r\n") + "\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(head));
        var buffer = new byte[4096];
        int used = 0;
        while (true)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(used));
            if (n == 0) throw new IOException("closed during the handshake");
            used += n;
            int end = buffer.AsSpan(0, used).IndexOf("\r\n\r\n"u8);
            if (end < 0) continue;
            if (!buffer.AsSpan(0, used).StartsWith("HTTP/1.1 101"u8))
                throw new IOException("handshake refused: " + Encoding.ASCII.GetString(buffer, 0, Math.Min(used, 40)));
            int rest = used - end - 4;
            var leftover = new byte[Math.Max(rest, 0)];
            buffer.AsSpan(end + 4, rest).CopyTo(leftover);
            return new RawWebSocket(socket, leftover, rest);
        }
    }

    /// <summary>One masked, final frame (opcode 1 text, 2 binary).</summary>
    public ValueTask<int> SendAsync(byte opcode, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[payload.Length + 14];
        int at = 0;
        frame[at++] = (byte)(0x80 | opcode);
        if (payload.Length < 126) frame[at++] = (byte)(0x80 | payload.Length);
        else
        {
            frame[at++] = 0x80 | 126;
            frame[at++] = (byte)(payload.Length >> 8);
            frame[at++] = (byte)payload.Length;
        }
        Mask.CopyTo(frame, at);
        at += 4;
        for (int i = 0; i < payload.Length; i++) frame[at + i] = (byte)(payload[i] ^ Mask[i & 3]);
        return Socket.SendAsync(frame.AsMemory(0, at + payload.Length));
    }

    public void Dispose() => Socket.Dispose();
}
