using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace MailerQ.Www.Browser.Tests.LiveSmtp;

/// <summary>
/// The real mail tools the Live SMTP tests drive: Debian's <c>swaks</c> to send one message, Postfix's
/// <c>smtp-source</c> for a burst, and Postfix's <c>smtp-sink</c> as the delivery target.
/// </summary>
internal static partial class MailTools
{
    /// <summary>A real 1×1 PNG (a red pixel), so a browser can decode it and report its size.</summary>
    public const string PngBase64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

    /// <summary>Marks the HTML part of <see cref="HtmlWithImage"/>.</summary>
    public const string Marker = "live-smtp-marker-4417";

    /// <summary>multipart/related around multipart/alternative, the HTML pointing at a cid image.</summary>
    public static string HtmlWithImage(string subject) =>
        $"From: a@example.org\r\nTo: b@example.net\r\nSubject: {subject}\r\nMIME-Version: 1.0\r\n" +
        "Content-Type: multipart/related; boundary=\"R\"\r\n\r\n" +
        "--R\r\nContent-Type: multipart/alternative; boundary=\"A\"\r\n\r\n" +
        "--A\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nplain version\r\n" +
        "--A\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
        $"<html><body><h1 style=\"color:#c8372d\">{Marker}</h1><p>Hello from the test.</p>" +
        "<img id=\"logo\" alt=\"logo\" width=\"40\" height=\"40\" src=\"cid:logo@example.org\"></body></html>\r\n" +
        "--A--\r\n" +
        $"--R\r\nContent-Type: image/png\r\nContent-ID: <logo@example.org>\r\nContent-Transfer-Encoding: base64\r\n\r\n{PngBase64}\r\n" +
        "--R--\r\n";

    /// <summary>Sends <paramref name="message"/> with swaks and returns our id from the 250 ("queued as …").</summary>
    public static async Task<string> SwaksAsync(int smtpPort, string message, string directory, string to = "b@example.net")
    {
        string file = Path.Combine(directory, $"mail-{Guid.NewGuid():N}.eml");
        await File.WriteAllTextAsync(file, message);
        var (exit, output) = await RunAsync("swaks", ["--server", $"127.0.0.1:{smtpPort}", "--from", "a@example.org", "--to", to, "--data", "@" + file], TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, output);
        var match = QueuedAs().Match(output);
        Assert.True(match.Success, output);
        return match.Groups[1].Value;
    }

    /// <summary>smtp-source: <paramref name="messages"/> messages over <paramref name="sessions"/> parallel sessions.</summary>
    public static Task<(int Exit, string Output)> SmtpSourceAsync(int smtpPort, int messages, int sessions, TimeSpan timeout) =>
        RunAsync("/usr/sbin/smtp-source", ["-s", sessions.ToString(System.Globalization.CultureInfo.InvariantCulture), "-m", messages.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-f", "load@example.org", "-t", "sink@example.net", "-S", "load test", $"127.0.0.1:{smtpPort}"], timeout);

    private static async Task<(int, string)> RunAsync(string file, string[] args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex("queued as ([0-9a-f]{32})")]
    private static partial Regex QueuedAs();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A private Postfix <c>smtp-sink</c> on 127.0.0.1 (ended by its own PID): where delivery goes in these tests.</summary>
internal sealed class SinkProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SinkProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<SinkProcess> StartAsync()
    {
        int port = MailTools.FreePort();
        var psi = new ProcessStartInfo("/usr/sbin/smtp-sink") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // smtp-sink refuses to run as root without -u.
        if (Environment.IsPrivilegedProcess)
        {
            psi.ArgumentList.Add("-u");
            psi.ArgumentList.Add("nobody");
        }
        psi.ArgumentList.Add($"127.0.0.1:{port}");
        psi.ArgumentList.Add("100");
        var process = Process.Start(psi)!;
        var sink = new SinkProcess(process, port);
        process.OutputDataReceived += (_, e) => { lock (sink._output) sink._output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (sink._output) sink._output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return sink;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
