using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace MailerQ.Www.Host.Tests;

/// <summary>/ws through the real program: the login gate in front, stats frames behind it.</summary>
public sealed class ConsoleWebSocketTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Logged_in_console_gets_stats_frames_and_a_foreign_origin_is_refused()
    {
        int port = MailerQProcess.FreePort();
        var file = _dir.Write("config.txt", $"www-port: {port}\nwww-ip: 127.0.0.1\nwww-dir: {RepoRoot.Path}/www\ndata-directory: {_dir.Path}\nwww-auth: hardcoded://ops:pw\nsmtp-port: 0\n");
        await using var p = MailerQProcess.Start(["--config-file", file]);
        await p.WaitForPortAsync(port);
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false });
        var login = await http.PostAsync($"http://127.0.0.1:{port}/api/login", new StringContent("{\"username\":\"ops\",\"password\":\"pw\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        string cookie = login.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        // Without login: 401 before any upgrade.
        using (var anonymous = new ClientWebSocket())
        {
            var ex = await Assert.ThrowsAsync<WebSocketException>(() => anonymous.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws"), CancellationToken.None));
            Assert.Contains("401", ex.Message + ex.InnerException?.Message, StringComparison.Ordinal);
        }

        // A cookie sent from another site's page: 403.
        using (var foreign = new ClientWebSocket())
        {
            foreign.Options.SetRequestHeader("Cookie", cookie);
            foreign.Options.SetRequestHeader("Origin", "http://evil.example");
            var ex = await Assert.ThrowsAsync<WebSocketException>(() => foreign.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws"), CancellationToken.None));
            Assert.Contains("403", ex.Message + ex.InnerException?.Message, StringComparison.Ordinal);
        }

        using var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Cookie", cookie);
        ws.Options.SetRequestHeader("Origin", $"http://127.0.0.1:{port}");
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws"), CancellationToken.None);
        await ws.SendAsync("{\"subscribe\":\"stats\"}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        JsonElement? stats = null;
        while (stats is null)
        {
            var result = await ws.ReceiveAsync(buffer, timeout.Token);
            Assert.Equal(WebSocketMessageType.Text, result.MessageType);
            using var doc = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
            if (doc.RootElement.TryGetProperty("stats", out var s)) stats = s.Clone();
        }
        Assert.True(stats.Value.GetProperty("http.connections").GetInt64() >= 1);
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
    }
}
