using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MailerQ.Www.Auth.Tests.HttpEndpoint;

/// <summary>
/// A tiny HTTP/1.1 server on a loopback port, on a plain TcpListener (optionally TLS): the path picks the
/// answer (<c>/200</c>, <c>/204</c>, <c>/302</c>, <c>/401</c>, <c>/500</c>, <c>/hang</c>, <c>/check</c>) and
/// every request head is recorded.
/// </summary>
internal sealed class TestEndpoint : IAsyncDisposable
{
    public const string GoodAuthorization = "Basic YWxpY2U6czNjcmV0"; // alice:s3cret

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2? _certificate;
    private readonly Task _accepting;

    public TestEndpoint(X509Certificate2? certificate = null)
    {
        _certificate = certificate;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentQueue<string> Requests { get; } = new();

    public Uri Url(string path) => new($"{(_certificate is null ? "http" : "https")}://127.0.0.1:{Port}{path}");

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            Stream stream = client.GetStream();
            if (_certificate is not null)
            {
                var tls = new SslStream(stream);
                await tls.AuthenticateAsServerAsync(_certificate, false, false);
                stream = tls;
            }
            while (true)
            {
                string? head = await ReadHeadAsync(stream);
                if (head is null) return;
                Requests.Enqueue(head);
                string path = head.Split(' ')[1];
                string? auth = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase))?[14..].Trim();
                string response = path switch
                {
                    "/200" => "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                    "/204" => "HTTP/1.1 204 No Content\r\n\r\n",
                    "/302" => "HTTP/1.1 302 Found\r\nLocation: /200\r\nContent-Length: 0\r\n\r\n",
                    "/401" => "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n",
                    "/500" => "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n",
                    "/check" => auth == GoodAuthorization ? "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n" : "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n",
                    "/hang" => "",
                    _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
                };
                if (response.Length == 0)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                }
                await stream.WriteAsync(Encoding.ASCII.GetBytes(response), _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
        }
        catch (Exception)
        {
            // The client went away or the test ended.
        }
    }

    private async Task<string?> ReadHeadAsync(Stream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            int n = await stream.ReadAsync(one, _stop.Token);
            if (n == 0) return null;
            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^1] == '\n' && buffer[^2] == '\r' && buffer[^3] == '\n' && buffer[^4] == '\r')
                return Encoding.UTF8.GetString(buffer.ToArray());
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _accepting; } catch (Exception) { }
        _stop.Dispose();
    }
}
