using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace MailerQ.Www.AuthNet.Tests.Fixtures;

/// <summary>
/// A server (slapd, freeradius) run in the foreground as our child, so we own its PID, and ended by
/// that PID: SIGTERM, then SIGKILL if it is still there after a few seconds. Its output is kept for
/// failure messages.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private bool _stopped;

    private ServerProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output { get { lock (_gate) return _output.ToString(); } }

    public static ServerProcess Start(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string arg in args) psi.ArgumentList.Add(arg);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + program);
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_gate) _output.AppendLine(line);
    }

    /// <summary>Waits until <paramref name="port"/> on <paramref name="address"/> accepts TCP connections.</summary>
    public async Task WaitForTcpAsync(IPAddress address, int port)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < until)
        {
            FailIfExited();
            try
            {
                using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(address, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"port {port} not ready within 20 s:\n{Output}");
    }

    /// <summary>Waits until the server prints <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < until)
        {
            if (Output.Contains(text, StringComparison.Ordinal))
                return;
            FailIfExited();
            await Task.Delay(50);
        }
        throw new TimeoutException($"'{text}' not printed within 20 s:\n{Output}");
    }

    private void FailIfExited()
    {
        if (_process.HasExited)
            throw new InvalidOperationException($"server exited with {_process.ExitCode}:\n{Output}");
    }

    /// <summary>Ends the server by its PID and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(); // SIGKILL, this PID only
                await _process.WaitForExitAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
