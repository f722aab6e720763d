using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace MailerQ.Www.Host.Tests.ConsoleApi;

/// <summary>
/// One real <c>out/mailerq</c> delivering to a Postfix <c>smtp-sink</c> (<c>smtp-sink-address</c>), with mail sent by
/// <c>swaks</c> to two domains, one message tagged, all delivered before the tests run: the Domains, MTA IPs, Tags
/// and status routes then have something to list.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ListsApiServer : IAsyncLifetime
{
    public const string User = "ops";
    public const string Password = "pw";
    public const string Tag = "spring+sale";

    private readonly TempDir _dir = new();
    private MailerQProcess? _process;
    private Process? _sink;

    public int Port { get; private set; }
    public int SmtpPort { get; private set; }
    public int SinkPort { get; private set; }

    public async ValueTask InitializeAsync()
    {
        SinkPort = MailerQProcess.FreePort();
        var psi = new ProcessStartInfo("/usr/sbin/smtp-sink") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Environment.IsPrivilegedProcess)
        {
            psi.ArgumentList.Add("-u");
            psi.ArgumentList.Add("nobody");
        }
        psi.ArgumentList.Add($"127.0.0.1:{SinkPort}");
        psi.ArgumentList.Add("100");
        _sink = Process.Start(psi)!;
        _ = _sink.StandardOutput.ReadToEndAsync();
        _ = _sink.StandardError.ReadToEndAsync();

        Port = MailerQProcess.FreePort();
        SmtpPort = MailerQProcess.FreePort();
        var config = _dir.Write("config.txt",
            $"www-port: {Port}\nwww-ip: 127.0.0.1\nwww-dir: {RepoRoot.Path}/www\ndata-directory: {_dir.Path}/var\n" +
            $"www-auth: hardcoded://{User}:{Password}\nsmtp-port: {SmtpPort}\nsmtp-ip: 127.0.0.1\n" +
            $"smtp-sink-address: 127.0.0.1\nsmtp-sink-port: {SinkPort}\n");
        _process = MailerQProcess.Start(["--config-file", config]);
        await _process.WaitForPortAsync(Port);
        await _process.WaitForPortAsync(SmtpPort);
        await _process.WaitForPortAsync(SinkPort);

        await SwaksAsync("a@lists.example");
        await SwaksAsync("b@lists.example");
        await SwaksAsync("c@other.example", Tag);
        using var http = BasicClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync("/api/stats"));
            if (doc.RootElement.GetProperty("deliveries").GetInt64() >= 3) break;
            Assert.True(DateTime.UtcNow < deadline, "the three messages were not delivered to smtp-sink\n" + _process.Stderr);
            await Task.Delay(100);
        }
    }

    private async Task SwaksAsync(string to, string? tag = null)
    {
        var psi = new ProcessStartInfo("swaks") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--server", $"127.0.0.1:{SmtpPort}", "--from", "sender@example.org", "--to", to })
            psi.ArgumentList.Add(a);
        if (tag is not null)
        {
            psi.ArgumentList.Add("--add-header");
            psi.ArgumentList.Add($"x-mq-tag: {tag}");
        }
        using var swaks = Process.Start(psi)!;
        var output = swaks.StandardOutput.ReadToEndAsync();
        var errors = swaks.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await swaks.WaitForExitAsync(timeout.Token);
        Assert.True(swaks.ExitCode == 0, await output + await errors);
    }

    public HttpClient Client() =>
        new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };

    public HttpClient BasicClient()
    {
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        return client;
    }

    public async Task<(HttpStatusCode Status, JsonElement Json)> GetAsync(string path)
    {
        using var http = BasicClient();
        using var response = await http.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var doc = JsonDocument.Parse(body);
        return (response.StatusCode, doc.RootElement.Clone());
    }

    public async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, string json)
    {
        using var http = BasicClient();
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        if (_sink is not null)
        {
            try
            {
                _sink.Kill();
                _sink.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }
            _sink.Dispose();
        }
        _dir.Dispose();
    }
}
