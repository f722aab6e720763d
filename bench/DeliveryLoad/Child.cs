using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MailerQ.Www.Bench.DeliveryLoad;

/// <summary>
/// A program this tool started: stderr to a file (through <c>sh -c exec</c>, so the PID is the program's own),
/// memory and CPU read from /proc, stopped by its PID only.
/// </summary>
internal sealed class Child : IDisposable
{
    private readonly Process _process;

    private Child(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    public static Child Start(string name, string logFile, string program, params string[] arguments)
    {
        string command = "exec " + Quote(program) + " " + string.Join(' ', arguments.Select(Quote)) + " >" + Quote(logFile) + " 2>&1";
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        return new Child(Process.Start(info)!, name);
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>VmRSS and VmHWM (peak) in bytes.</summary>
    public (long Rss, long Peak) Memory()
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                rss = Kilobytes(line);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                peak = Kilobytes(line);
        }
        return (rss, peak);
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;

    /// <summary>User + system CPU time so far (from /proc/PID/stat, clock ticks of 10 ms).</summary>
    public TimeSpan Cpu() => CpuSplit().User + CpuSplit().System;

    /// <summary>User and system CPU time so far, apart: system time is the kernel's share (syscalls, fsync, loopback TCP).</summary>
    public (TimeSpan User, TimeSpan System) CpuSplit()
    {
        string stat = File.ReadAllText($"/proc/{Pid}/stat");
        // Fields after the command name (which is in parentheses and may contain blanks): state is field 3.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (TimeSpan.FromMilliseconds(long.Parse(fields[11], CultureInfo.InvariantCulture) * 10),
            TimeSpan.FromMilliseconds(long.Parse(fields[12], CultureInfo.InvariantCulture) * 10));
    }

    /// <summary>
    /// Context switches so far, voluntary and not, summed over the process's live threads (/proc/PID/task/*/status).
    /// A thread that exited in between takes its count with it, so compare runs of the same program.
    /// </summary>
    public long ContextSwitches()
    {
        long switches = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{Pid}/task"))
        {
            try
            {
                foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                        switches += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The thread ended while we read it.
            }
        }
        return switches;
    }

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/>.</summary>
    public void Stop(TimeSpan grace)
    {
        if (_process.HasExited)
            return;
        using (var kill = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]))
            kill.WaitForExit();
        if (!_process.WaitForExit(grace))
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(15));
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (clock.Elapsed < timeout)
            {
                await Task.Delay(20);
            }
        }
    }
}
