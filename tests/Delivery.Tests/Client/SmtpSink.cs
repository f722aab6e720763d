using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace MailerQ.Www.Delivery.Tests.Client;

/// <summary>
/// Postfix's <c>/usr/sbin/smtp-sink</c> on 127.0.0.1 and a free high port, owned by the test (ended by its PID).
/// <c>-c</c> makes it print its session/QUIT/message counters, which the tests read to count on the sink's side;
/// <c>-d</c> dumps each message with the MAIL and RCPT arguments it received.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed partial class SmtpSink : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private int _baselineSessions;

    private SmtpSink(Process process, int port, string dumpDirectory)
    {
        _process = process;
        Port = port;
        DumpDirectory = dumpDirectory;
    }

    public int Port { get; }
    public string DumpDirectory { get; }
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public static async Task<SmtpSink> StartAsync(params string[] options)
    {
        string dumps = Directory.CreateTempSubdirectory("mq-sink-").FullName;
        // smtp-sink refuses to run as root without -u; the dumps are then written as that user.
        File.SetUnixFileMode(dumps, (UnixFileMode)0b111_111_111);
        int port = FreePort();
        var psi = new ProcessStartInfo("/usr/sbin/smtp-sink") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Environment.IsPrivilegedProcess)
        {
            psi.ArgumentList.Add("-u");
            psi.ArgumentList.Add("nobody");
        }
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("-d");
        psi.ArgumentList.Add(Path.Combine(dumps, "%H%M%S."));
        foreach (var option in options)
            psi.ArgumentList.Add(option);
        psi.ArgumentList.Add($"127.0.0.1:{port}");
        psi.ArgumentList.Add("16");
        var process = Process.Start(psi)!;
        var sink = new SmtpSink(process, port, dumps);
        process.OutputDataReceived += (_, e) => sink.Append(e.Data);
        process.ErrorDataReceived += (_, e) => sink.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Ready once a connection is accepted; that probe session is the counters' baseline.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
        }
        await sink.WaitForAsync(c => c.Sessions >= 1);
        sink._baselineSessions = 1;
        return sink;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? data)
    {
        if (data is null)
            return;
        lock (_output)
            _output.Append(data).Append('\n');
    }

    /// <summary>The sink's latest counters, minus the readiness probe's session.</summary>
    public (int Sessions, int Quits, int Messages) Counters
    {
        get
        {
            string text;
            lock (_output) text = _output.ToString();
            var matches = CounterLine().Matches(text);
            if (matches.Count == 0)
                return (0, 0, 0);
            var last = matches[^1];
            return (int.Parse(last.Groups[1].Value) - _baselineSessions, int.Parse(last.Groups[2].Value), int.Parse(last.Groups[3].Value));
        }
    }

    public async Task<(int Sessions, int Quits, int Messages)> WaitForAsync(Func<(int Sessions, int Quits, int Messages), bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var counters = Counters;
            if (condition(counters) || DateTime.UtcNow > deadline)
                return Counters;
            await Task.Delay(20);
        }
    }

    /// <summary>The dumped messages (smtp-sink's X-Mail-Args/X-Rcpt-Args headers, then the message as received).</summary>
    public string[] Dumps() => [.. Directory.GetFiles(DumpDirectory).Order().Select(File.ReadAllText)];

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        Directory.Delete(DumpDirectory, recursive: true);
    }

    [GeneratedRegex(@"sess=(\d+) quit=(\d+) mesg=(\d+)")]
    private static partial Regex CounterLine();
}
