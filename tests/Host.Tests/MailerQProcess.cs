using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailerQ.Www.Host.Tests;

/// <summary>
/// Runs the real program (<c>out/mailerq</c> from <c>make build</c>, or <c>out/aot/mailerq</c>) as a
/// child process, the way an operator does, and collects what it prints.
/// </summary>
internal sealed class MailerQProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();

    private MailerQProcess(Process process) => _process = process;

    public static string Binary => Path.Combine(RepoRoot.Path, "out", "mailerq");
    public static string AotBinary => Path.Combine(RepoRoot.Path, "out", "aot", "mailerq");

    public static MailerQProcess Start(IEnumerable<string> args, IDictionary<string, string>? env = null, string? binary = null, string? workingDirectory = null)
    {
        binary ??= Binary;
        Assert.True(File.Exists(binary), $"{binary} is missing: run 'make build' (and 'make aot') first");
        var psi = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoRoot.Path,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // The machine's own MAILERQ_* variables must not leak into a test.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("MAILERQ_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        if (env is not null)
            foreach (var (k, v) in env) psi.Environment[k] = v;
        var process = Process.Start(psi)!;
        var self = new MailerQProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (self._gate) self._stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (self._gate) self._stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return self;
    }

    /// <summary>Runs to completion and returns exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IEnumerable<string> args, IDictionary<string, string>? env = null, int timeoutMs = 30000, string? stdin = null)
    {
        await using var p = Start(args, env);
        if (stdin is not null)
        {
            await p._process.StandardInput.WriteAsync(stdin);
        }
        p._process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeoutMs);
        await p._process.WaitForExitAsync(cts.Token);
        p._process.WaitForExit();
        return (p._process.ExitCode, p.Stdout, p.Stderr);
    }

    public Process Process => _process;
    public string Stdout { get { lock (_gate) return _stdout.ToString(); } }
    public string Stderr { get { lock (_gate) return _stderr.ToString(); } }

    /// <summary>Waits until the port accepts connections (or the process died).</summary>
    public async Task WaitForPortAsync(int port, int timeoutMs = 20000)
    {
        var until = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited) Assert.Fail($"mailerq exited with {_process.ExitCode}: {Stderr}");
            try
            {
                using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await s.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        Assert.Fail($"port {port} never opened; stderr: {Stderr}");
    }

    public void Signal(int signal) => _ = Kill(_process.Id, signal);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int sig);

    public const int SIGTERM = 15;
    public const int SIGINT = 2;
    public const int SIGHUP = 1;

    public async Task<int> WaitForExitAsync(int timeoutMs = 20000)
    {
        using var cts = new CancellationTokenSource(timeoutMs);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
