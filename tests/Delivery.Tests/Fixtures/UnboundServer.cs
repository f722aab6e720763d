using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using DnsClient;

namespace MailerQ.Www.Delivery.Tests.Fixtures;

/// <summary>
/// A private unbound (Debian package <c>unbound</c>) on 127.0.0.1 and a free high port, serving the
/// records a test gives as <c>local-zone</c>/<c>local-data</c> lines. It runs in the foreground as our
/// child with no root features (no chroot, no user switch, no remote control) and is ended by its PID.
/// Every query it receives is written to its log (<c>log-queries</c>), so tests can count what reached it.
/// </summary>
internal sealed class UnboundServer : IAsyncDisposable
{
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output = new();

    private UnboundServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
    }

    public IPEndPoint EndPoint { get; }

    public string LogPath => Path.Combine(_directory, "unbound.log");

    /// <param name="serverLines">Lines for the <c>server:</c> clause (<c>local-zone: …</c>, <c>local-data: …</c>).</param>
    /// <param name="tail">More clauses after <c>server:</c> (e.g. a <c>forward-zone:</c>).</param>
    public static async Task<UnboundServer> StartAsync(IEnumerable<string> serverLines, string tail = "")
    {
        string directory = Directory.CreateTempSubdirectory("mailerq-unbound-").FullName;
        int port = FreeUdpAndTcpPort();
        var config = new StringBuilder();
        config.Append(CultureInfo.InvariantCulture, $"""
            server:
              username: ""
              chroot: ""
              directory: "{directory}"
              pidfile: "{directory}/unbound.pid"
              do-daemonize: no
              use-syslog: no
              logfile: "{directory}/unbound.log"
              log-queries: yes
              verbosity: 0
              interface: 127.0.0.1
              port: {port}
              do-ip6: no
              num-threads: 1
              so-reuseport: no
              module-config: "iterator"
              do-not-query-localhost: no
              # A forward to a dead server answers SERVFAIL after one try instead of unbound's long retry schedule.
              outbound-msg-retry: 0
              max-sent-count: 1

            """);
        foreach (string line in serverLines)
            config.Append("  ").Append(line).Append('\n');
        config.Append(tail).Append('\n');
        config.Append("remote-control:\n  control-enable: no\n");
        string configPath = Path.Combine(directory, "unbound.conf");
        await File.WriteAllTextAsync(configPath, config.ToString());

        var psi = new ProcessStartInfo("unbound")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-d");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(configPath);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start unbound");
        var server = new UnboundServer(process, directory, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilAnsweringAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>How many queries for <paramref name="name"/> (no trailing dot) and <paramref name="type"/> reached unbound.</summary>
    public int CountQueries(string name, string type)
    {
        string needle = $" {name}. {type} IN";
        int count = 0;
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.EndsWith(needle, StringComparison.OrdinalIgnoreCase))
                count++;
        }
        return count;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private string Diagnostics()
    {
        string log = File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";
        lock (_output) return _output + log;
    }

    /// <summary>Ready once a query for a name it does not serve comes back with any answer (NXDOMAIN for the test TLD).</summary>
    private async Task WaitUntilAnsweringAsync()
    {
        var options = new LookupClientOptions(EndPoint) { UseCache = false, Timeout = TimeSpan.FromMilliseconds(200), Retries = 0, ThrowDnsErrors = false };
        var client = new LookupClient(options);
        var until = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"unbound exited with {_process.ExitCode}:\n{Diagnostics()}");
            try
            {
                await client.QueryAsync("ready.invalid", QueryType.A);
                return;
            }
            catch (DnsResponseException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"unbound not answering within 20 s:\n{Diagnostics()}");
    }

    /// <summary>A port free for both UDP and TCP on loopback (unbound listens on both).</summary>
    private static int FreeUdpAndTcpPort()
    {
        for (int i = 0; i < 50; i++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // taken for TCP: try another
            }
        }
        throw new InvalidOperationException("no free port for unbound");
    }

    public async ValueTask DisposeAsync()
    {
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
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // left in /tmp; harmless
        }
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
