using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailerQ.Www.Http.Tests.Server;

/// <summary>A parsed response as the wire carried it.</summary>
internal sealed record RawResponse(int Status, string StatusLine, Dictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;
}

/// <summary>
/// A deliberately dumb HTTP client over a real TCP socket: sends exactly the bytes a test gives it
/// and parses responses byte by byte, so tests see what the server really put on the wire.
/// </summary>
internal sealed class RawHttpClient : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawHttpClient(Socket socket) => _socket = socket;

    public static async Task<RawHttpClient> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint);
        return new RawHttpClient(socket);
    }

    public Socket Socket => _socket;

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        int sent = 0;
        while (sent < bytes.Length)
            sent += await _socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None);
    }

    /// <summary>Reads one response; <paramref name="headRequest"/> means no body follows the head.</summary>
    public async Task<RawResponse> ReadResponseAsync(bool headRequest = false, int timeoutMs = 15000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        string statusLine = await ReadLineAsync(cts.Token) ?? throw new IOException("connection closed before a response");
        var parts = statusLine.Split(' ', 3);
        int status = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            string line = await ReadLineAsync(cts.Token) ?? throw new IOException("connection closed inside headers");
            if (line.Length == 0) break;
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }
        byte[] body = [];
        if (!headRequest && status >= 200 && status != 204 && status != 304)
        {
            if (headers.TryGetValue("content-length", out var cl))
                body = await ReadExactAsync(int.Parse(cl, System.Globalization.CultureInfo.InvariantCulture), cts.Token);
        }
        if (status == 100) return new RawResponse(status, statusLine, headers, body);
        return new RawResponse(status, statusLine, headers, body);
    }

    /// <summary>True when the server closed the connection (EOF or reset) within the timeout.</summary>
    public async Task<bool> IsClosedByServerAsync(int timeoutMs = 5000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        try
        {
            while (true)
            {
                if (_start < _end) { _start = _end; continue; }
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

    /// <summary>Everything until the server closes (for raw assertions).</summary>
    public async Task<string> ReadToEndAsync(int timeoutMs = 15000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        var ms = new MemoryStream();
        ms.Write(_buffer, _start, _end - _start);
        _start = _end;
        try
        {
            while (true)
            {
                int n = await _socket.ReceiveAsync(_buffer, SocketFlags.None, cts.Token);
                if (n == 0) break;
                ms.Write(_buffer, 0, n);
            }
        }
        catch (SocketException)
        {
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private async Task<bool> FillAsync(CancellationToken token)
    {
        if (_start > 0 && _start == _end) { _start = _end = 0; }
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
            if (_start == _end && !await FillAsync(token)) throw new IOException("connection closed inside body");
            int n = Math.Min(count - copied, _end - _start);
            Buffer.BlockCopy(_buffer, _start, result, copied, n);
            _start += n;
            copied += n;
        }
        return result;
    }

    public void Dispose() => _socket.Dispose();
}
