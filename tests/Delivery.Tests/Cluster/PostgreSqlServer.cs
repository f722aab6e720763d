using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MailerQ.Www.Delivery.Tests.Cluster;

/// <summary>
/// A private PostgreSQL server on a loopback high port, as in ../shared/recipes/README.md: initdb in a temporary
/// folder as user postgres, the server in the foreground (its PID is ours), stopped with SIGINT (fast shutdown).
/// Role <c>app</c>/<c>s3cret</c> owns the databases <see cref="CreateDatabaseAsync"/> makes.
/// </summary>
internal sealed class PostgreSqlServer : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin/";
    private Process? _server;

    private PostgreSqlServer(string dir, int port)
    {
        Directory = dir;
        Port = port;
    }

    public string Directory { get; }
    public int Port { get; }
    public bool Running => _server is { HasExited: false };

    public static async Task<PostgreSqlServer> StartAsync()
    {
        // Short path: the Unix socket path must stay under 107 bytes.
        string dir = System.IO.Directory.CreateTempSubdirectory("mqpg").FullName;
        var server = new PostgreSqlServer(dir, FreePort());
        await RunAsync("chown", "postgres:", dir);
        await RunAsync("runuser", "-u", "postgres", "--", Bin + "initdb", "-D", Path.Combine(dir, "data"), "-U", "postgres", "-A", "trust",
            "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "-N");
        await server.StartServerAsync();
        await server.PsqlAsync("postgres", "CREATE ROLE app LOGIN PASSWORD 's3cret'");
        return server;
    }

    public async Task StartServerAsync()
    {
        var psi = new ProcessStartInfo("setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "--reuid=postgres", "--regid=postgres", "--init-groups", "--", Bin + "postgres", "-D", Path.Combine(Directory, "data"),
            "-p", Port.ToString(CultureInfo.InvariantCulture), "-k", Directory, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
            "-c", "max_connections=200" })
            psi.ArgumentList.Add(a);
        _server = Process.Start(psi)!;
        _ = _server.StandardOutput.ReadToEndAsync();
        _ = _server.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_server.HasExited) throw new InvalidOperationException("postgres exited with " + _server.ExitCode);
            using var ready = Process.Start(new ProcessStartInfo(Bin + "pg_isready", ["-q", "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture)]))!;
            await ready.WaitForExitAsync();
            if (ready.ExitCode == 0) return;
            await Task.Delay(50);
        }
        throw new TimeoutException("postgres did not start");
    }

    /// <summary>SIGINT: PostgreSQL's fast shutdown (ends open sessions at once).</summary>
    public async Task StopServerAsync()
    {
        if (_server is null) return;
        if (!_server.HasExited)
        {
            using var kill = Process.Start("kill", ["-INT", _server.Id.ToString(CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _server.WaitForExitAsync(cts.Token);
        }
        _server.Dispose();
        _server = null;
    }

    /// <summary>A new, empty database owned by <c>app</c>; returns its <c>postgresql://</c> address.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "mq" + Guid.NewGuid().ToString("N")[..12];
        await PsqlAsync("postgres", $"CREATE DATABASE {name} OWNER app");
        return Url(name);
    }

    public string Url(string database) => $"postgresql://app:s3cret@127.0.0.1:{Port}/{database}";

    /// <summary>Runs SQL as the superuser over the private Unix socket; returns the unaligned output.</summary>
    public async Task<string> PsqlAsync(string database, string sql)
    {
        var (code, stdout, stderr) = await CaptureAsync(Bin + "psql", "-h", Directory, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres",
            "-d", database, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql);
        if (code != 0) throw new InvalidOperationException($"psql failed ({code}): {stderr}");
        return stdout.Trim();
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var (code, _, stderr) = await CaptureAsync(file, args);
        if (code != 0) throw new InvalidOperationException($"{file} failed ({code}): {stderr}");
    }

    private static async Task<(int, string, string)> CaptureAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
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
