using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MailerQ.Www.Http.Tests.Server;

namespace MailerQ.Www.Http.Tests.WebSockets;

/// <summary>
/// A deliberately dumb WebSocket client over a real socket: sends exactly the bytes a test builds and
/// parses what the server sends byte by byte (RFC 6455 §5.2), checking the server never masks.
/// </summary>
internal sealed class WsClient : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[256 * 1024];
    private int _start;
    private int _end;

    private WsClient(Socket socket) => _socket = socket;

    public Socket Socket => _socket;

    public static async Task<WsClient> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint);
        return new WsClient(socket);
    }

    public const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    public static string Upgrade(string host, string extra = "", string key = Key, string version = "13") =>
        $"GET /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: {version}\r\n{extra}\r\n";

    /// <summary>Sends a standard upgrade request (plus <paramref name="extra"/> header lines) and reads the answer head.</summary>
    public async Task<RawResponse> HandshakeAsync(string host, string extra = "")
    {
        await SendAsync(Encoding.ASCII.GetBytes(Upgrade(host, extra)));
        return await ReadResponseAsync();
    }

    public async Task SendAsync(byte[] bytes)
    {
        int sent = 0;
        while (sent < bytes.Length)
            sent += await _socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None);
    }

    public Task SendTextAsync(string text) => SendAsync(ClientFrame.Text(text));

    /// <summary>Reads a response head and, for non-101 answers, its Content-Length body.</summary>
    public async Task<RawResponse> ReadResponseAsync(int timeoutMs = 15000, bool head = false)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        string status = await ReadLineAsync(cts.Token) ?? throw new IOException("closed before a response");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            string line = await ReadLineAsync(cts.Token) ?? throw new IOException("closed inside the head");
            if (line.Length == 0) break;
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }
        int code = int.Parse(status.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        byte[] body = [];
        if (code != 101 && !head && headers.TryGetValue("content-length", out var cl))
            body = await ReadExactAsync(int.Parse(cl, System.Globalization.CultureInfo.InvariantCulture), cts.Token);
        return new RawResponse(code, status, headers, body);
    }

    /// <summary>Reads one server frame; null when the server closed the connection first.</summary>
    public async Task<ServerFrame?> ReadFrameAsync(int timeoutMs = 15000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        try
        {
            var head = await ReadExactAsync(2, cts.Token);
            bool masked = (head[1] & 0x80) != 0;
            long length = head[1] & 0x7F;
            if (length == 126) length = BinaryPrimitives.ReadUInt16BigEndian(await ReadExactAsync(2, cts.Token));
            else if (length == 127) length = (long)BinaryPrimitives.ReadUInt64BigEndian(await ReadExactAsync(8, cts.Token));
            if (masked) await ReadExactAsync(4, cts.Token);
            var payload = await ReadExactAsync((int)length, cts.Token);
            return new ServerFrame((head[0] & 0x80) != 0, (head[0] >> 4) & 7, head[0] & 0x0F, masked, payload);
        }
        catch (EndOfStreamException)
        {
            return null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>Reads frames until one with <paramref name="opcode"/>, skipping others (pings, stats).</summary>
    public async Task<ServerFrame> ReadUntilAsync(int opcode, int timeoutMs = 15000)
    {
        while (true)
        {
            var frame = await ReadFrameAsync(timeoutMs) ?? throw new IOException($"closed while waiting for opcode {opcode}");
            if (frame.Opcode == opcode) return frame;
        }
    }

    /// <summary>Reads the next text frame that is not a stats frame or a control frame.</summary>
    public async Task<string> ReadReplyAsync(int timeoutMs = 15000)
    {
        while (true)
        {
            var frame = await ReadFrameAsync(timeoutMs) ?? throw new IOException("closed while waiting for a reply");
            if (frame.Opcode == 0x1 && !frame.Text.StartsWith("{\"stats\"", StringComparison.Ordinal)) return frame.Text;
        }
    }

    /// <summary>Reads until the server's Close frame, which must be followed by the end of the connection.</summary>
    public async Task<ServerFrame> ExpectCloseAsync(int timeoutMs = 15000)
    {
        var close = await ReadUntilAsync(0x8, timeoutMs);
        Assert.True(await IsClosedByServerAsync(timeoutMs), "the server kept the connection open after its Close");
        return close;
    }

    /// <summary>True when the server ended the connection (EOF or reset) within the timeout.</summary>
    public async Task<bool> IsClosedByServerAsync(int timeoutMs = 5000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        try
        {
            _start = _end = 0;
            while (true)
            {
                int n = await _socket.ReceiveAsync(_buffer, SocketFlags.None, cts.Token);
                if (n == 0) return true;
            }
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<string?> ReadLineAsync(CancellationToken token)
    {
        while (true)
        {
            int nl = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (nl >= 0)
            {
                int len = nl - _start;
                if (len > 0 && _buffer[nl - 1] == '\r') len--;
                string line = Encoding.Latin1.GetString(_buffer, _start, len);
                _start = nl + 1;
                return line;
            }
            if (!await FillAsync(token)) return null;
        }
    }

    private async Task<byte[]> ReadExactAsync(int count, CancellationToken token)
    {
        var result = new byte[count];
        int copied = 0;
        while (copied < count)
        {
            if (_start == _end && !await FillAsync(token)) throw new EndOfStreamException();
            int n = Math.Min(count - copied, _end - _start);
            Buffer.BlockCopy(_buffer, _start, result, copied, n);
            _start += n;
            copied += n;
        }
        return result;
    }

    private async Task<bool> FillAsync(CancellationToken token)
    {
        if (_start == _end) _start = _end = 0;
        if (_end == _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        int n = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, token);
        if (n == 0) return false;
        _end += n;
        return true;
    }

    public void Dispose() => _socket.Dispose();
}
