using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace MailerQ.Www.Smtp.Tests;

/// <summary>A raw socket client that sends exact bytes and reads whole (multi-line) replies.</summary>
internal sealed class SmtpTestClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private Stream _stream;
    private readonly List<byte> _pending = [];

    private SmtpTestClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    public static async Task<SmtpTestClient> ConnectAsync(int port, IPAddress? from = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (from is not null)
            socket.Bind(new IPEndPoint(from, 0));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return new SmtpTestClient(socket);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Sends one line and returns the reply.</summary>
    public async Task<string> CommandAsync(string line)
    {
        await SendAsync(line + "\r\n");
        return await ReadReplyAsync();
    }

    /// <summary>One reply: its lines joined by '\n', without CRLF. Empty string when the server closed.</summary>
    public async Task<string> ReadReplyAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var lines = new List<string>();
        while (true)
        {
            string? line = await ReadLineAsync(cts.Token);
            if (line is null)
                return string.Join('\n', lines);
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-')
                return string.Join('\n', lines);
        }
    }

    private async Task<string?> ReadLineAsync(CancellationToken ct)
    {
        var buffer = new byte[1];
        while (true)
        {
            int lf = _pending.IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var line = Encoding.UTF8.GetString(_pending.GetRange(0, lf).ToArray()).TrimEnd('\r');
                _pending.RemoveRange(0, lf + 1);
                return line;
            }
            var chunk = new byte[4096];
            int n;
            try
            {
                n = await _stream.ReadAsync(chunk, ct);
            }
            catch (IOException)
            {
                n = 0;
            }
            if (n == 0)
                return null;
            _pending.AddRange(chunk.AsSpan(0, n).ToArray());
        }
    }

    /// <summary>True when the server closed the connection (reads end) within the timeout.</summary>
    public async Task<bool> IsClosedAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        var chunk = new byte[256];
        try
        {
            while (true)
            {
                int n = await _stream.ReadAsync(chunk, cts.Token);
                if (n == 0) return true;
            }
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async Task StartTlsAsync()
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: true, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "mx.test" });
        _stream = ssl;
        _pending.Clear();
    }

    public SslStream? Tls => _stream as SslStream;

    /// <summary>EHLO after the greeting; returns the EHLO reply.</summary>
    public async Task<string> HelloAsync()
    {
        var greeting = await ReadReplyAsync();
        Assert.StartsWith("220 ", greeting);
        return await CommandAsync("EHLO client.test");
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
