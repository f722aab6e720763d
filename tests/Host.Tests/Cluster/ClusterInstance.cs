using System.Net.Http;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MailerQ.Www.Host.Tests.Cluster;

/// <summary>
/// One <c>out/mailerq</c> of a test cluster: its own console and SMTP ports and data directory, the shared PostgreSQL
/// database and RabbitMQ exchange, a hardcoded login, and an HTTP client logged in with Basic.
/// </summary>
internal sealed class ClusterInstance : IAsyncDisposable
{
    public const string User = "ops";
    public const string Password = "pw";

    private readonly TempDir _dir;
    private MailerQProcess? _process;

    private ClusterInstance(string name, TempDir dir, string config)
    {
        _dir = dir;
        Name = name;
        Config = config;
        Http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
    }

    public string Name { get; }
    public int Port { get; private set; }
    public int SmtpPort { get; private set; }
    public string Url => $"http://127.0.0.1:{Port}";
    /// <summary>The cluster id: www-url is set explicitly, so it is this.</summary>
    public string Id => Url;
    public string Config { get; }
    public HttpClient Http { get; }
    public string Stderr => _process?.Stderr ?? "";
    public MailerQProcess Process => _process!;

    /// <summary>Writes the config; <paramref name="extra"/> lines are appended (cluster-interval, smarthost, …).</summary>
    public static ClusterInstance Create(string name, string database, string? amqp, string exchange, string extra = "")
    {
        int port = MailerQProcess.FreePort(), smtp = MailerQProcess.FreePort();
        var dir = new TempDir();
        var text = $"www-port: {port}\nwww-ip: 127.0.0.1\nwww-dir: {RepoRoot.Path}/www\ndata-directory: {dir.Path}\n" +
            $"www-auth: hardcoded://{User}:{Password}\nsmtp-port: {smtp}\nsmtp-ip: 127.0.0.1\n" +
            $"www-host: 127.0.0.1\nwww-url: http://127.0.0.1:{port}\ndatabase-address: {database}\n" +
            (amqp is null ? "" : $"cluster-address: {amqp}\ncluster-exchange: {exchange}\n") + extra;
        return new ClusterInstance(name, dir, dir.Write("config.txt", text)) { Port = port, SmtpPort = smtp };
    }

    public void Start(params string[] args) => _process = MailerQProcess.Start(["--config-file", Config, .. args]);

    public async Task StartAsync(params string[] args)
    {
        Start(args);
        await WaitUpAsync();
    }

    public Task WaitUpAsync() => _process!.WaitForPortAsync(Port, 60_000);

    public async Task<int> StopAsync()
    {
        _process!.Signal(MailerQProcess.SIGTERM);
        return await _process.WaitForExitAsync(30_000);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(Url + path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{Name} GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, Url + path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The other instances this one lists in <c>/api/cluster</c>, by id, with their <c>stale</c> flag.</summary>
    public async Task<Dictionary<string, JsonElement>> ClusterAsync()
    {
        var list = await GetJsonAsync("/api/cluster");
        return list.EnumerateArray().ToDictionary(e => e.GetProperty("id").GetString()!, e => e);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        Http.Dispose();
        _dir.Dispose();
    }

    /// <summary>Polls <paramref name="condition"/> every 50 ms until true or <paramref name="timeout"/>; returns how long it took.</summary>
    public static async Task<TimeSpan> WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (await condition()) return started.Elapsed;
            if (started.Elapsed > timeout) Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for {what}");
            await Task.Delay(50);
        }
    }
}
