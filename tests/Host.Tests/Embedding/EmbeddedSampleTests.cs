using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace MailerQ.Www.Host.Tests.Embedding;

/// <summary>
/// The embedding sample (samples/EmbeddedMta, built by <c>make sample</c> from the packages as one NativeAOT
/// binary): an MTA with its own SMTP listener, serving the full console on its own port.
/// </summary>
public sealed class EmbeddedSampleTests
{
    private static string Binary => Path.Combine(RepoRoot.Path, "out", "sample", "EmbeddedMta");

    [Fact]
    public async Task Sample_serves_the_console_and_shows_its_own_smtp_session_live_and_afterwards()
    {
        Assert.True(File.Exists(Binary), $"{Binary} is missing: run 'make sample' first");
        int smtpPort = MailerQProcess.FreePort(), httpPort = MailerQProcess.FreePort();
        await using var sample = MailerQProcess.Start([smtpPort.ToString(), httpPort.ToString(), "hardcoded://ops:s3cret"], binary: Binary);
        await sample.WaitForPortAsync(httpPort);
        await sample.WaitForPortAsync(smtpPort);
        string site = $"http://127.0.0.1:{httpPort}";
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false });

        Assert.Equal("ok", await http.GetStringAsync($"{site}/healthz"));
        string index = await http.GetStringAsync($"{site}/");
        Assert.Contains("app.js", index, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"{site}/api/smtp/sessions")).StatusCode);

        var login = await http.PostAsync($"{site}/api/login", new StringContent("{\"username\":\"ops\",\"password\":\"s3cret\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        string cookie = login.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        // Subscribe to the live SMTP channel first, then talk SMTP: the bytes arrive as binary frames.
        using var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Cookie", cookie);
        ws.Options.SetRequestHeader("Origin", site);
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{httpPort}/ws"), CancellationToken.None);
        await ws.SendAsync("{\"subscribe\":\"smtp\"}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        await WaitForTextAsync(ws, "smtp");

        await SendMailAsync(smtpPort, "sender@tiny.example", "rcpt@dest.example", "Subject: embedded\r\n\r\nhello from the sample\r\n");

        var seen = new StringBuilder();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            var buffer = new byte[64 * 1024];
            while (!seen.ToString().Contains("221 bye", StringComparison.Ordinal))
            {
                var result = await ws.ReceiveAsync(buffer, timeout.Token);
                if (result.MessageType == WebSocketMessageType.Binary)
                    seen.Append(Encoding.Latin1.GetString(buffer, 0, result.Count));
            }
        }
        Assert.Contains("MAIL FROM:<sender@tiny.example>", seen.ToString(), StringComparison.Ordinal);
        Assert.Contains("220 tiny.example", seen.ToString(), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{site}/api/smtp/sessions");
        request.Headers.Add("Cookie", cookie);
        using var sessions = JsonDocument.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync());
        // The port probe before was a session too (connect, close); ours is the one with a sender.
        var session = sessions.RootElement.EnumerateArray().Single(s => s.TryGetProperty("from", out var f) && f.GetString() == "sender@tiny.example");
        Assert.Equal("in", session.GetProperty("direction").GetString());
        Assert.Equal("rcpt@dest.example", session.GetProperty("rcpts")[0].GetString());
        string messageId = session.GetProperty("messageId").GetString()!;

        using var raw = new HttpRequestMessage(HttpMethod.Get, $"{site}/api/messages/{messageId}/raw");
        raw.Headers.Add("Cookie", cookie);
        Assert.Contains("hello from the sample", await (await http.SendAsync(raw)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
    }

    private static async Task WaitForTextAsync(ClientWebSocket ws, string expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[8192];
        while (true)
        {
            var result = await ws.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Text && Encoding.UTF8.GetString(buffer, 0, result.Count).Contains(expected, StringComparison.Ordinal))
                return;
        }
    }

    private static async Task SendMailAsync(int port, string from, string to, string body)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        async Task ExpectAsync(string code) => Assert.StartsWith(code, await reader.ReadLineAsync());
        await ExpectAsync("220");
        foreach (var (command, code) in new[] { ("EHLO client.example", "250"), ($"MAIL FROM:<{from}>", "250"), ($"RCPT TO:<{to}>", "250"), ("DATA", "354") })
        {
            await writer.WriteLineAsync(command);
            await ExpectAsync(code);
        }
        await writer.WriteAsync(body + ".\r\n");
        await ExpectAsync("250");
        await writer.WriteLineAsync("QUIT");
        await ExpectAsync("221");
    }
}
