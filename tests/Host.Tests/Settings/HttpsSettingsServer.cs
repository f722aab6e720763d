using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MailerQ.Www.Host.Tests.Settings;

/// <summary>
/// The real program serving the console over HTTPS only (a self-signed pair made with openssl, plain HTTP off), for
/// the routes that refuse plain HTTP (DKIM keys). Requests as <see cref="SettingsServer"/> sends them.
/// </summary>
internal sealed class HttpsSettingsServer : IAsyncDisposable
{
    private readonly TempDir _dir = new();
    private MailerQProcess _process = null!;

    public HttpClient Http { get; private set; } = null!;
    public MailerQProcess Process => _process;
    public string Dir => _dir.Path;

    public static async Task<HttpsSettingsServer> StartAsync()
    {
        var server = new HttpsSettingsServer();
        var psi = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = server.Dir };
        foreach (var a in new[] { "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.crt", "-subj", "/CN=localhost", "-days", "2" })
            psi.ArgumentList.Add(a);
        using (var openssl = System.Diagnostics.Process.Start(psi)!)
        {
            await openssl.WaitForExitAsync();
            Assert.Equal(0, openssl.ExitCode);
        }
        int port = MailerQProcess.FreePort();
        var file = server._dir.Write("config.txt",
            $"www-port: 0\nwww-secure-port: {port}\nwww-certificate: {server.Dir}/server.crt\nwww-privatekey: {server.Dir}/server.key\n" +
            $"www-ip: 127.0.0.1\nwww-dir: {RepoRoot.Path}/www\ndata-directory: {server.Dir}\nwww-auth: hardcoded://alice:pw\nsmtp-port: 0\n");
        server._process = MailerQProcess.Start(["--config-file", file]);
        await server._process.WaitForPortAsync(port);
        var handler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        server.Http = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}") };
        return server;
    }

    /// <summary>Logs in as the console does; returns the session cookie and the CSRF token.</summary>
    public async Task<(string Cookie, string Csrf)> LogInAsync()
    {
        using var response = await Http.PostAsync("/api/login", new StringContent("{\"username\":\"alice\",\"password\":\"pw\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string cookie = response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (cookie, doc.RootElement.GetProperty("csrf").GetString()!);
    }

    public async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, string? json = null,
        AuthenticationHeaderValue? auth = null, bool noAuth = false, string? cookie = null, string? csrf = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (!noAuth && cookie is null) request.Headers.Authorization = auth ?? SettingsServer.Basic;
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        if (csrf is not null) request.Headers.Add("X-CSRF-Token", csrf);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (_process is not null) await _process.DisposeAsync();
        _dir.Dispose();
    }
}
