using System.Net.Http;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace MailerQ.Www.Host.Tests;

/// <summary>Mail through the real program: accepted, durable in the embedded queue, traced live to the console.</summary>
public sealed class MailThroughProgramTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<string> ReadReplyAsync(StreamReader reader)
    {
        var text = new StringBuilder();
        while (true)
        {
            string? line = await reader.ReadLineAsync() ?? throw new IOException("closed");
            text.AppendLine(line);
            if (line.Length < 4 || line[3] == ' ') return text.ToString();
        }
    }

    [Fact]
    public async Task Message_is_queued_durably_and_its_bytes_reach_a_subscribed_websocket()
    {
        int port = MailerQProcess.FreePort(), smtpPort = MailerQProcess.FreePort();
        var file = _dir.Write("config.txt", $"www-port: {port}\nwww-ip: 127.0.0.1\nwww-dir: {RepoRoot.Path}/www\ndata-directory: {_dir.Path}\nwww-auth: hardcoded://ops:pw\nsmtp-port: {smtpPort}\nsmtp-ip: 127.0.0.1\n");
        await using var p = MailerQProcess.Start(["--config-file", file]);
        await p.WaitForPortAsync(port);
        await p.WaitForPortAsync(smtpPort);

        using var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String("ops:pw"u8));
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws"), CancellationToken.None);
        await ws.SendAsync("{\"subscribe\":\"smtp\"}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[64 * 1024];
        var first = await ws.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Contains("subscribed", Encoding.UTF8.GetString(buffer, 0, first.Count));

        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", smtpPort);
        using var stream = tcp.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        Assert.StartsWith("220", await ReadReplyAsync(reader));
        await writer.WriteLineAsync("EHLO test.example");
        Assert.Contains("250", await ReadReplyAsync(reader));
        await writer.WriteLineAsync("MAIL FROM:<from@example.org>");
        Assert.StartsWith("250", await ReadReplyAsync(reader));
        await writer.WriteLineAsync("RCPT TO:<to@example.net>");
        Assert.StartsWith("250", await ReadReplyAsync(reader));
        await writer.WriteLineAsync("DATA");
        Assert.StartsWith("354", await ReadReplyAsync(reader));
        await writer.WriteAsync("Subject: traced\r\n\r\nhello console\r\n.\r\n");
        string accepted = await ReadReplyAsync(reader);
        Assert.StartsWith("250", accepted);
        await writer.WriteLineAsync("QUIT");
        await ReadReplyAsync(reader);

        // Durable before the 250: the message is already in the embedded queue.
        var queued = Directory.EnumerateFiles(Path.Combine(_dir.Path, "queue"), "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(Path.Combine(_dir.Path, "queue", "tmp"), StringComparison.Ordinal)).ToList();
        Assert.Contains(queued, f => File.ReadAllText(f).Contains("hello console", StringComparison.Ordinal));

        // The same bytes arrived on the websocket as binary trace frames (header + raw bytes).
        var seen = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!seen.ToString().Contains("hello console", StringComparison.Ordinal) || !seen.ToString().Contains("250 ", StringComparison.Ordinal))
        {
            var result = await ws.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Binary && result.Count > 20)
                seen.Append(Encoding.ASCII.GetString(buffer, 20, result.Count - 20));
        }
        Assert.Contains("MAIL FROM:<from@example.org>", seen.ToString());
    }
}
