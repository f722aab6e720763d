using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MailerQ.Www.Browser.Tests;

/// <summary>
/// Postfix's smtp-sink on a free loopback port as the console's delivery target (<c>smtp-sink-address</c>): every
/// message it receives is dumped into its own file, so <see cref="Count"/> is what was delivered.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class DeliverySink : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dumps;

    private DeliverySink(Process process, int port, string dumps)
    {
        _process = process;
        Port = port;
        _dumps = dumps;
    }

    public int Port { get; }

    /// <summary>The config lines that send every outbound message here.</summary>
    public string Config => $"smtp-sink-address: 127.0.0.1\nsmtp-sink-port: {Port}";

    public int Count => Directory.GetFiles(_dumps).Length;

    public static async Task<DeliverySink> StartAsync()
    {
        string dumps = Directory.CreateTempSubdirectory("mq-sink-").FullName;
        // As root, smtp-sink drops privileges to nobody, who must be able to write the dumps.
        File.SetUnixFileMode(dumps, (UnixFileMode)0b111_111_111);
        int port = MailerQ.Www.Host.Tests.MailerQProcess.FreePort();
        var psi = new ProcessStartInfo("/usr/sbin/smtp-sink") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Environment.IsPrivilegedProcess)
        {
            psi.ArgumentList.Add("-u");
            psi.ArgumentList.Add("nobody");
        }
        psi.ArgumentList.Add("-d");
        psi.ArgumentList.Add(Path.Combine(dumps, "%H%M%S."));
        psi.ArgumentList.Add($"127.0.0.1:{port}");
        psi.ArgumentList.Add("100");
        var process = Process.Start(psi)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        for (int i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return new DeliverySink(process, port, dumps);
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        process.Kill();
        throw new InvalidOperationException("smtp-sink did not start");
    }

    /// <summary>Waits until at least <paramref name="count"/> messages arrived (fails after <paramref name="seconds"/>).</summary>
    public async Task WaitForAsync(int count, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the sink received {Count} of {count} messages");
            await Task.Delay(100);
        }
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_dumps, recursive: true);
        }
        catch (IOException)
        {
        }
        return ValueTask.CompletedTask;
    }
}
