using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MailerQ.Www.Host.Tests.Settings;

/// <summary>The real program with a fresh settings database, and requests as scripts and the console send them.</summary>
internal sealed class SettingsServer : IAsyncDisposable
{
    private readonly TempDir _dir = new();
    private MailerQProcess _process = null!;

    public HttpClient Http { get; private set; } = null!;
    public MailerQProcess Process => _process;
    public string DataDirectory => _dir.Path;

    public static async Task<SettingsServer> StartAsync(string extraConfig = "")
    {
        var server = new SettingsServer();
        int port = MailerQProcess.FreePort();
        var file = server._dir.Write("config.txt",
            $"www-port: {port}\nwww-ip: 127.0.0.1\nwww-dir: {RepoRoot.Path}/www\ndata-directory: {server._dir.Path}\nwww-auth: hardcoded://alice:pw\nsmtp-port: 0\n{extraConfig}");
        server._process = MailerQProcess.Start(["--config-file", file]);
        await server._process.WaitForPortAsync(port);
        server.Http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        return server;
    }

    public static AuthenticationHeaderValue Basic { get; } = new("Basic", Convert.ToBase64String("alice:pw"u8.ToArray()));

    /// <summary>Sends with Basic auth unless <paramref name="auth"/> says otherwise; <paramref name="form"/> sends a form body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, string? json = null, string? form = null,
        AuthenticationHeaderValue? auth = null, bool noAuth = false, string? cookie = null, string? csrf = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (!noAuth && cookie is null) request.Headers.Authorization = auth ?? Basic;
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        if (csrf is not null) request.Headers.Add("X-CSRF-Token", csrf);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        if (form is not null) request.Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    public async Task<string> CreateTokenAsync(string name)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/tokens", json: $"{{\"name\":\"{name}\"}}");
        Assert.Equal(HttpStatusCode.OK, status);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal(name, doc.RootElement.GetProperty("name").GetString());
        return doc.RootElement.GetProperty("token").GetString()!;
    }

    public static string Error(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("error").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (_process is not null) await _process.DisposeAsync();
        _dir.Dispose();
    }
}
