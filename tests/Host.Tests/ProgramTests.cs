using System.Net.Http;

namespace MailerQ.Www.Host.Tests;

/// <summary>The program as an operator runs it: command line, config layering, exit codes, signals.</summary>
public sealed class ProgramTests
{
    private static string Config(TempDir dir, int port, string extra = "") =>
        dir.Write("config.txt", $"# test config\nwww-port: {port}\nwww-ip: 127.0.0.1\nwww-dir: {Path.Combine(RepoRoot.Path, "www")}\ndata-directory: {dir.Path}\n{extra}smtp-port: 0\n");

    [Fact]
    public async Task Version_prints_the_version_on_stdout_and_exits_0()
    {
        var (code, stdout, _) = await MailerQProcess.RunAsync(["--version"]);
        Assert.Equal(0, code);
        Assert.Matches(@"^mailerq \d+\.\d+\.\d+", stdout.Trim());
    }

    [Fact]
    public async Task Check_config_accepts_the_shipped_default_config()
    {
        var (code, _, stderr) = await MailerQProcess.RunAsync(["--config-file", "etc/config.txt", "--check-config"]);
        Assert.True(code == 0, stderr);
    }

    [Fact]
    public async Task Check_config_reports_every_error_with_file_and_line_and_exits_2()
    {
        using var dir = new TempDir();
        var file = dir.Write("bad.txt", "www-port: eighty\n# comment\nwww-connections: 0\nwww-cache-control: a\u0001b\n");
        var (code, _, stderr) = await MailerQProcess.RunAsync(["--config-file", file, "--check-config"]);
        Assert.Equal(2, code);
        Assert.Contains($"{file}:1: www-port:", stderr);
        Assert.Contains($"{file}:3: www-connections:", stderr);
        Assert.Contains($"{file}:4: www-cache-control:", stderr);
    }

    [Fact]
    public async Task Environment_and_argument_errors_name_the_variable_or_argument()
    {
        var (code, _, stderr) = await MailerQProcess.RunAsync(
            ["--config-file", "etc/config.txt", "--www-connections=lots", "--check-config"],
            new Dictionary<string, string> { ["MAILERQ_WWW_PORT"] = "99999" });
        Assert.Equal(2, code);
        Assert.Contains("MAILERQ_WWW_PORT: www-port:", stderr);
        Assert.Contains("--www-connections: www-connections:", stderr);
    }

    [Fact]
    public async Task Bad_config_never_half_starts_the_server()
    {
        using var dir = new TempDir();
        int port = MailerQProcess.FreePort();
        var file = Config(dir, port, "www-connections: -1\n");
        await using var p = MailerQProcess.Start(["--config-file", file]);
        Assert.Equal(2, await p.WaitForExitAsync());
        Assert.Contains($"{file}:6: www-connections:", p.Stderr);
        using var client = new System.Net.Sockets.TcpClient();
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => client.ConnectAsync("127.0.0.1", port));
    }

    [Fact]
    public async Task Address_not_on_this_host_is_a_startup_error()
    {
        var (code, _, stderr) = await MailerQProcess.RunAsync(["--config-file", "etc/config.txt", "--www-ip=192.0.2.77"]);
        Assert.Equal(2, code);
        Assert.Contains("--www-ip: www-ip:", stderr);
    }

    [Fact]
    public async Task A_second_instance_on_the_same_data_directory_exits_2_and_the_first_keeps_serving_until_it_dies()
    {
        using var dir = new TempDir();
        int first = MailerQProcess.FreePort(), second = MailerQProcess.FreePort();
        await using var p = MailerQProcess.Start(["--config-file", Config(dir, first)]);
        await p.WaitForPortAsync(first);
        string other = dir.Write("other.txt", $"www-port: {second}\nwww-ip: 127.0.0.1\nwww-dir: {Path.Combine(RepoRoot.Path, "www")}\ndata-directory: {dir.Path}\nsmtp-port: 0\n");

        var (code, _, stderr) = await MailerQProcess.RunAsync(["--config-file", other]);

        Assert.Equal(2, code);
        Assert.Contains($"{other}:4: data-directory: in use by another mailerq process", stderr);
        // The owner's pid, for the operator's `cat` (.NET's own readers take a shared flock, which the lock refuses).
        using (var cat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("cat", Path.Combine(dir.Path, "mailerq.lock")) { RedirectStandardOutput = true })!)
            Assert.Equal(p.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), (await cat.StandardOutput.ReadToEndAsync()).Trim());
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{first}") };
        Assert.Equal("ok", await http.GetStringAsync("/healthz"));

        // A crash leaves no stale lock: the kernel drops it with the process.
        p.Signal(9);
        await p.WaitForExitAsync();
        await using var next = MailerQProcess.Start(["--config-file", other]);
        await next.WaitForPortAsync(second);
    }

    [Fact]
    public async Task Serves_healthz_and_the_console_page_then_stops_on_SIGTERM_with_exit_0()
    {
        using var dir = new TempDir();
        int port = MailerQProcess.FreePort();
        await using var p = MailerQProcess.Start(["--config-file", Config(dir, port)]);
        await p.WaitForPortAsync(port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var health = await http.GetAsync("/healthz");
        Assert.Equal(200, (int)health.StatusCode);
        Assert.Equal("ok", await health.Content.ReadAsStringAsync());

        var index = await http.GetAsync("/");
        Assert.Equal(200, (int)index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        var html = await index.Content.ReadAsStringAsync();
        Assert.Contains("<form", html);
        Assert.Contains("password", html);

        Assert.Contains(" info http listening ", p.Stderr);
        p.Signal(MailerQProcess.SIGTERM);
        Assert.Equal(0, await p.WaitForExitAsync());
        Assert.Contains("stopped", p.Stderr);
    }

    [Fact]
    public async Task Argument_overrides_environment_which_overrides_the_file()
    {
        using var dir = new TempDir();
        int filePort = MailerQProcess.FreePort(), envPort = MailerQProcess.FreePort(), argPort = MailerQProcess.FreePort();
        await using (var p = MailerQProcess.Start(["--config-file", Config(dir, filePort)], new Dictionary<string, string> { ["MAILERQ_WWW_PORT"] = envPort.ToString(System.Globalization.CultureInfo.InvariantCulture) }))
        {
            await p.WaitForPortAsync(envPort);
            p.Signal(MailerQProcess.SIGINT);
            Assert.Equal(0, await p.WaitForExitAsync());
        }
        await using (var p = MailerQProcess.Start(["--config-file", Config(dir, filePort), $"--www-port={argPort}"], new Dictionary<string, string> { ["MAILERQ_WWW_PORT"] = envPort.ToString(System.Globalization.CultureInfo.InvariantCulture) }))
        {
            await p.WaitForPortAsync(argPort);
            p.Signal(MailerQProcess.SIGTERM);
            Assert.Equal(0, await p.WaitForExitAsync());
        }
    }

    [Fact]
    public async Task Nativeaot_binary_starts_and_answers_healthz()
    {
        using var dir = new TempDir();
        int port = MailerQProcess.FreePort();
        await using var p = MailerQProcess.Start(["--config-file", Config(dir, port)], binary: MailerQProcess.AotBinary);
        await p.WaitForPortAsync(port);
        using var http = new HttpClient();
        Assert.Equal("ok", await http.GetStringAsync($"http://127.0.0.1:{port}/healthz"));
        Assert.Contains("<form", await http.GetStringAsync($"http://127.0.0.1:{port}/"));
        p.Signal(MailerQProcess.SIGTERM);
        Assert.Equal(0, await p.WaitForExitAsync());
    }
}
