using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MailerQ.Www.Host.Tests;

/// <summary>Login and sessions through the real program (contract "Login and sessions").</summary>
public sealed class LoginTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<(MailerQProcess Process, HttpClient Http, int Port)> StartAsync(string auth = "www-auth: hardcoded://alice:s3cret%3Aok,bob:pw\n", string name = "config.txt")
    {
        int port = MailerQProcess.FreePort();
        var file = _dir.Write(name, $"www-port: {port}\nwww-ip: 127.0.0.1\nwww-dir: {RepoRoot.Path}/www\ndata-directory: {_dir.Path}\n{auth}smtp-port: 0\n");
        var p = MailerQProcess.Start(["--config-file", file]);
        await p.WaitForPortAsync(port);
        var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        return (p, http, port);
    }

    private static Task<HttpResponseMessage> LoginAsync(HttpClient http, string user, string password) =>
        http.PostAsync("/api/login", new StringContent(JsonSerializer.Serialize(new Dictionary<string, string> { ["username"] = user, ["password"] = password }), Encoding.UTF8, "application/json"));

    private static string Cookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

    private static HttpRequestMessage Request(HttpMethod method, string path, string? cookie = null, string? csrf = null, bool xhr = false)
    {
        var request = new HttpRequestMessage(method, path);
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        if (csrf is not null) request.Headers.Add("X-CSRF-Token", csrf);
        if (xhr) request.Headers.Add("X-Requested-With", "XMLHttpRequest");
        if (method != HttpMethod.Get) request.Content = new StringContent("");
        return request;
    }

    [Fact]
    public async Task Login_session_csrf_and_logout_follow_the_contract()
    {
        var (p, http, _) = await StartAsync();
        await using var _p = p;
        using var _h = http;

        var wrong = await LoginAsync(http, "alice", "nope");
        var unknown = await LoginAsync(http, "mallory", "nope");
        var empty = await LoginAsync(http, "alice", "");
        var shell = await LoginAsync(http, "$(touch /tmp/x);alice", "s3cret:ok");
        foreach (var r in new[] { wrong, unknown, empty, shell })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
            Assert.Equal("{\"error\":\"invalid credentials\"}", await r.Content.ReadAsStringAsync());
            Assert.False(r.Headers.Contains("Set-Cookie"));
        }
        var malformed = await http.PostAsync("/api/login", new StringContent("{\"username\":1}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        var ok = await LoginAsync(http, "alice", "s3cret:ok");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var setCookie = ok.Headers.GetValues("Set-Cookie").Single();
        Assert.Matches(@"^mq_session=[A-Za-z0-9_-]{22,}; Path=/; HttpOnly; SameSite=Strict$", setCookie);
        using var body = JsonDocument.Parse(await ok.Content.ReadAsStringAsync());
        Assert.Equal("alice", body.RootElement.GetProperty("user").GetString());
        string csrf = body.RootElement.GetProperty("csrf").GetString()!;
        Assert.True(csrf.Length >= 22);
        string cookie = Cookie(ok);

        var who = await http.SendAsync(Request(HttpMethod.Get, "/api/whoami", cookie));
        Assert.Equal(HttpStatusCode.OK, who.StatusCode);
        Assert.Contains("\"user\":\"alice\"", await who.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(Request(HttpMethod.Post, "/api/logout", cookie))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(Request(HttpMethod.Post, "/api/logout", cookie, "wrong"))).StatusCode);
        // CSRF is decided before routing: an unknown write route still answers 403 first.
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(Request(HttpMethod.Delete, "/api/no-such-thing", cookie))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(Request(HttpMethod.Get, "/api/no-such-thing", cookie))).StatusCode);

        var logout = await http.SendAsync(Request(HttpMethod.Post, "/api/logout", cookie, csrf));
        Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(Request(HttpMethod.Get, "/api/whoami", cookie, xhr: true))).StatusCode);
        Assert.Contains(" auth login succeeded user=alice ip=127.0.0.1", p.Stderr);
        Assert.Contains(" auth login failed user=mallory", p.Stderr);
        Assert.DoesNotContain("s3cret", p.Stderr);
    }

    [Fact]
    public async Task Protected_paths_answer_401_with_a_basic_challenge_unless_the_console_asks()
    {
        var (p, http, _) = await StartAsync();
        await using var _p = p;
        using var _h = http;
        foreach (var path in new[] { "/api/whoami", "/api/stats", "/api/unknown", "/v1/pauses", "/render/1", "/ws", "/metrics" })
        {
            var plain = await http.SendAsync(Request(HttpMethod.Get, path));
            Assert.Equal(HttpStatusCode.Unauthorized, plain.StatusCode);
            Assert.Equal("Basic", plain.Headers.WwwAuthenticate.Single().Scheme);
            var xhr = await http.SendAsync(Request(HttpMethod.Get, path, xhr: true));
            Assert.Equal(HttpStatusCode.Unauthorized, xhr.StatusCode);
            Assert.Empty(xhr.Headers.WwwAuthenticate);
        }
        // Static files and health need no login.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Basic_auth_works_on_protected_paths()
    {
        var (p, http, _) = await StartAsync();
        await using var _p = p;
        using var _h = http;
        var request = Request(HttpMethod.Get, "/api/whoami");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("bob:pw")));
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"user\":\"bob\",\"csrf\":null}", await response.Content.ReadAsStringAsync());
        var bad = Request(HttpMethod.Get, "/api/whoami");
        bad.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("bob:nope")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(bad)).StatusCode);
    }

    [Fact]
    public async Task Five_failures_lock_the_user_with_429_and_retry_after()
    {
        var (p, http, _) = await StartAsync();
        await using var _p = p;
        using var _h = http;
        for (int i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(http, "alice", "wrong" + i)).StatusCode);
        var locked = await LoginAsync(http, "alice", "s3cret:ok");
        Assert.Equal((HttpStatusCode)429, locked.StatusCode);
        var retry = locked.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        Assert.InRange(retry, 1, 60);
        Assert.Contains("locked", p.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task First_start_without_www_auth_generates_an_admin_password_printed_once()
    {
        var (p, http, _) = await StartAsync(auth: "");
        string password;
        await using (p)
        using (http)
        {
            var match = Regex.Match(p.Stderr, @"generated password for user admin: ([A-Za-z0-9_-]+)\s*$", RegexOptions.Multiline);
            Assert.True(match.Success, p.Stderr);
            password = match.Groups[1].Value;
            Assert.True(password.Length >= 16);
            var stored = File.ReadAllText(Path.Combine(_dir.Path, "admin.passwd"));
            Assert.StartsWith("admin:$6$", stored);
            Assert.DoesNotContain(password, stored);
            Assert.Equal(HttpStatusCode.OK, (await LoginAsync(http, "admin", password)).StatusCode);
            p.Signal(MailerQProcess.SIGTERM);
            await p.WaitForExitAsync();
        }
        var (again, http2, _) = await StartAsync(auth: "", name: "config2.txt");
        await using (again)
        using (http2)
        {
            Assert.DoesNotContain("generated password", again.Stderr);
            Assert.Equal(HttpStatusCode.OK, (await LoginAsync(http2, "admin", password)).StatusCode);
        }
    }

    [Fact]
    public async Task Hash_password_output_logs_in_through_a_file_scheme()
    {
        var (code, stdout, stderr) = await MailerQProcess.RunAsync(["hash-password"], stdin: "c0rrect horse\n");
        Assert.True(code == 0, stderr);
        string hash = stdout.Trim();
        Assert.StartsWith("$6$", hash);
        var users = _dir.Write("users.txt", $"# operators\ncarol:{hash}\n");
        var (p, http, _) = await StartAsync(auth: $"www-auth: file://{users}\n");
        await using var _p = p;
        using var _h = http;
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(http, "carol", "c0rrect horse")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(http, "carol", "c0rrect horse\n")).StatusCode);
    }

    [Fact]
    public async Task Sighup_with_changed_www_auth_ends_every_session()
    {
        var (p, http, _) = await StartAsync();
        await using var _p = p;
        using var _h = http;
        var ok = await LoginAsync(http, "alice", "s3cret:ok");
        string cookie = Cookie(ok);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Request(HttpMethod.Get, "/api/whoami", cookie))).StatusCode);

        File.WriteAllText(Path.Combine(_dir.Path, "config.txt"), File.ReadAllText(Path.Combine(_dir.Path, "config.txt")).Replace("bob:pw", "bob:pw2", StringComparison.Ordinal));
        p.Signal(MailerQProcess.SIGHUP);
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!p.Stderr.Contains("all sessions ended", StringComparison.Ordinal) && DateTime.UtcNow < until) await Task.Delay(50);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(Request(HttpMethod.Get, "/api/whoami", cookie, xhr: true))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(http, "bob", "pw2")).StatusCode);
    }
}
