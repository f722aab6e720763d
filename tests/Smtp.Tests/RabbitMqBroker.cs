using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MailerQ.Www.Smtp.Tests;

/// <summary>
/// A private RabbitMQ node on loopback high ports, started and stopped by PID as in
/// ../shared/recipes/README.md: its own epmd, HOME, mnesia and log dirs; user tester/s3cret.
/// </summary>
internal sealed class RabbitMqBroker : IAsyncDisposable
{
    private const string Bin = "/usr/lib/rabbitmq/bin/";
    private Process? _epmd;
    private Process? _server;
    private readonly int _distPort;
    private readonly int _epmdPort;

    private RabbitMqBroker(string dir, int port, int distPort, int epmdPort)
    {
        Directory = dir;
        Port = port;
        _distPort = distPort;
        _epmdPort = epmdPort;
    }

    public string Directory { get; }
    public int Port { get; }
    public string Url => $"amqp://tester:s3cret@127.0.0.1:{Port}";

    public static async Task<RabbitMqBroker> StartAsync()
    {
        string dir = System.IO.Directory.CreateTempSubdirectory("mailerq-rmq-").FullName;
        var broker = new RabbitMqBroker(dir, FreePort(), FreePort(), FreePort());
        File.WriteAllText(Path.Combine(dir, "rabbitmq.conf"),
            $"listeners.tcp.1 = 127.0.0.1:{broker.Port}\ndefault_user = tester\ndefault_pass = s3cret\nloopback_users = none\n");
        File.WriteAllText(Path.Combine(dir, "enabled_plugins"), "[].\n");
        var epmd = new ProcessStartInfo("epmd", ["-port", broker._epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-address", "127.0.0.1"]);
        broker._epmd = Process.Start(epmd);
        await broker.StartServerAsync();
        return broker;
    }

    public async Task StartServerAsync()
    {
        var psi = new ProcessStartInfo(Bin + "rabbitmq-server")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string p = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["HOME"] = Directory;
        psi.Environment["ERL_EPMD_PORT"] = _epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["RABBITMQ_NODENAME"] = $"rmq{p}@localhost";
        psi.Environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        psi.Environment["RABBITMQ_NODE_PORT"] = p;
        psi.Environment["RABBITMQ_DIST_PORT"] = _distPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["RABBITMQ_BASE"] = Directory;
        psi.Environment["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(Directory, "rabbitmq-env.conf");
        psi.Environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(Directory, "rabbitmq.conf");
        psi.Environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(Directory, "enabled_plugins");
        psi.Environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(Directory, "mnesia");
        psi.Environment["RABBITMQ_LOG_BASE"] = Path.Combine(Directory, "log");
        psi.Environment["ERL_CRASH_DUMP"] = Path.Combine(Directory, "erl_crash.dump");
        psi.Environment["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}";
        _server = Process.Start(psi)!;
        _ = _server.StandardOutput.ReadToEndAsync();
        _ = _server.StandardError.ReadToEndAsync();
        await WaitReadyAsync();
    }

    /// <summary>Ready when the AMQP header gets Connection.Start (first byte 0x01) back.</summary>
    private async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, Port);
                await socket.SendAsync("AMQP\x00\x00\x09\x01"u8.ToArray());
                var reply = new byte[1];
                using var cts = new CancellationTokenSource(2000);
                if (await socket.ReceiveAsync(reply, SocketFlags.None, cts.Token) == 1 && reply[0] == 1)
                    return;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
            }
            if (_server!.HasExited)
                throw new InvalidOperationException("rabbitmq-server exited; see " + Directory + "/log");
            await Task.Delay(200);
        }
        throw new TimeoutException("rabbitmq-server did not start");
    }

    /// <summary>TERM to the wrapper shell (it stops beam cleanly, ~1 s); never KILL, which orphans beam.smp.</summary>
    public async Task StopServerAsync()
    {
        if (_server is null) return;
        if (!_server.HasExited)
        {
            _ = Process.Start("kill", ["-TERM", _server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _server.WaitForExitAsync(cts.Token);
        }
        _server.Dispose();
        _server = null;
    }

    /// <summary>Runs amqp-get once; null when the queue is empty (exit 2).</summary>
    public async Task<byte[]?> GetAsync(string queue)
    {
        var psi = new ProcessStartInfo("amqp-get", [$"--url={Url}", "-q", queue]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        using var ms = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(ms);
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? ms.ToArray() : null;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopServerAsync();
        }
        finally
        {
            if (_epmd is { HasExited: false })
            {
                _epmd.Kill();
                await _epmd.WaitForExitAsync();
            }
            _epmd?.Dispose();
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
