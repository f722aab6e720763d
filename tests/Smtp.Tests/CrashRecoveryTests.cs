using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using MailerQ.Www.Smtp.Queue;

namespace MailerQ.Www.Smtp.Tests;

/// <summary>
/// kill -9 during load: every message that got a 250 must be in the queue exactly once after restart, and the
/// queue must hold only complete messages. The server runs in tests/SmtpTestHost (a child process the test
/// can SIGKILL); smtp-source adds unrelated load while tracked clients record which messages were acknowledged.
/// </summary>
public sealed class CrashRecoveryTests
{
    private static bool Expect(string reply, string prefix)
    {
        if (reply.StartsWith(prefix, StringComparison.Ordinal)) return true;
        Stops.Enqueue("reply: " + reply);
        return false;
    }

    private static Process StartHost(string dataDirectory, out int port)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "MailerQ.Www.SmtpTestHost.dll");
        var psi = new ProcessStartInfo("dotnet", [dll, dataDirectory]) { RedirectStandardOutput = true, RedirectStandardError = true };
        var process = Process.Start(psi)!;
        string? line = process.StandardOutput.ReadLine();
        Assert.NotNull(line);
        port = int.Parse(line!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return process;
    }

    [Fact]
    public async Task Every_acknowledged_message_survives_kill_9_exactly_once()
    {
        string data = Directory.CreateTempSubdirectory("mailerq-crash-").FullName;
        var acknowledged = new ConcurrentDictionary<string, string>(); // tag -> queue id
        var host = StartHost(data, out int port);
        try
        {
            var load = ExternalProcess.RunAsync("/usr/sbin/smtp-source",
                ["-s", "5", "-m", "100000", "-f", "load@example.org", "-t", "to@example.net", $"127.0.0.1:{port}"], TimeSpan.FromMinutes(2));
            using var stop = new CancellationTokenSource();
            var senders = Enumerable.Range(0, 4).Select(n => SendTrackedAsync(port, n, acknowledged, stop.Token)).ToArray();

            // Let acknowledged mail pile up, then crash mid-stream.
            for (int i = 0; i < 200 && acknowledged.Count < 100; i++)
                await Task.Delay(25);
            host.Kill(entireProcessTree: false); // SIGKILL on Unix
            await host.WaitForExitAsync();
            stop.Cancel();
            await Task.WhenAll(senders);
            await load;
        }
        finally
        {
            if (!host.HasExited) host.Kill();
            host.Dispose();
        }
        Assert.True(acknowledged.Count >= 20, $"only {acknowledged.Count} acknowledged before the kill: {string.Join(" | ", Stops)}");

        // Restart: recovery drops unfinished spool files; everything in the queue must be complete.
        var restarted = StartHost(data, out _);
        try
        {
            var queue = EmbeddedQueue.Open(data);
            Assert.Empty(Directory.GetFiles(queue.TempDirectory));
            var tags = new Dictionary<string, int>();
            int total = 0;
            foreach (var id in queue.List(queue.InboxQueue))
            {
                var stored = queue.Read(queue.InboxQueue, id);
                Assert.True(stored is not null, $"damaged queue file {id}");
                total++;
                var mime = Encoding.ASCII.GetString(stored!.Value.Mime);
                int at = mime.IndexOf("X-Test-Tag: ", StringComparison.Ordinal);
                if (at >= 0)
                {
                    string tag = mime[(at + 12)..mime.IndexOf('\r', at)];
                    tags[tag] = tags.GetValueOrDefault(tag) + 1;
                }
            }
            foreach (var (tag, id) in acknowledged)
            {
                Assert.True(tags.TryGetValue(tag, out int count), $"acknowledged message {tag} ({id}) lost");
                Assert.Equal(1, count);
                Assert.NotNull(queue.Read(queue.InboxQueue, id));
            }
            Assert.All(tags.Values, c => Assert.Equal(1, c));
            Assert.True(total >= acknowledged.Count);
        }
        finally
        {
            restarted.Kill();
            restarted.Dispose();
            Directory.Delete(data, recursive: true);
        }
    }

    private static readonly ConcurrentQueue<string> Stops = new();

    private static async Task SendTrackedAsync(int port, int sender, ConcurrentDictionary<string, string> acknowledged, CancellationToken stop)
    {
        try
        {
            await using var client = await SmtpTestClient.ConnectAsync(port);
            await client.HelloAsync();
            for (int n = 0; !stop.IsCancellationRequested; n++)
            {
                string tag = $"{sender}-{n}";
                await client.SendAsync($"MAIL FROM:<t@example.org>\r\nRCPT TO:<r@example.net>\r\nDATA\r\n");
                if (!Expect(await client.ReadReplyAsync(), "250")) return;
                if (!Expect(await client.ReadReplyAsync(), "250")) return;
                if (!Expect(await client.ReadReplyAsync(), "354")) return;
                string reply = await client.CommandAsync($"X-Test-Tag: {tag}\r\nSubject: crash\r\n\r\n{string.Concat(Enumerable.Repeat(new string('z', 98) + "\r\n", 20))}\r\n.");
                if (!Expect(reply, "250 2.0.0 Ok: queued as ")) return;
                acknowledged[tag] = reply[^32..];
            }
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            Stops.Enqueue(ex.GetType().Name + ": " + ex.Message);
            // The server died under us: whatever was not acknowledged may be lost.
        }
    }
}
