using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;

namespace MailerQ.Www.Host.Tests.ConsoleApi;

/// <summary>
/// The routes behind Live SMTP, the message view and Logs over real sockets: <c>/api/messages/{id}/structure</c>,
/// <c>/api/render-policy</c>, image parts inlined into <c>/render/{id}</c> (on <see cref="ConsoleApiServer"/>), and
/// <c>/api/logs</c> (on <see cref="LogsApiServer"/>, which delivers to a private smtp-sink).
/// </summary>
public sealed class LiveSmtpApiTests(ConsoleApiServer server) : IClassFixture<ConsoleApiServer>
{
    public static TheoryData<string> NewRoutes() =>
    [
        "/api/messages/0123456789abcdef0123456789abcdef/structure", "/api/render-policy", "/api/logs", "/api/logs?q=x&domain=example.net",
    ];

    [Theory]
    [MemberData(nameof(NewRoutes))]
    public async Task The_new_routes_need_a_login(string path)
    {
        using var http = server.Client();
        var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Structure_lists_the_decoded_headers_and_the_mime_tree()
    {
        using var http = server.BasicClient();
        var response = await http.GetAsync($"/api/messages/{server.RelatedId}/structure");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = doc.RootElement;
        Assert.Equal(server.RelatedId, root.GetProperty("id").GetString());
        Assert.True(root.GetProperty("hasHtml").GetBoolean());
        Assert.True(root.GetProperty("size").GetInt32() > 0);
        Assert.Contains(root.GetProperty("headers").EnumerateArray(), h => h.GetProperty("name").GetString() == "Subject" && h.GetProperty("value").GetString() == "related");

        var top = root.GetProperty("structure");
        Assert.Equal("multipart/related", top.GetProperty("mediaType").GetString());
        Assert.Equal("multipart/related; boundary=R", top.GetProperty("contentType").GetString());
        var parts = top.GetProperty("parts").EnumerateArray().ToArray();
        Assert.Equal("multipart/alternative", parts[0].GetProperty("mediaType").GetString());
        var html = parts[0].GetProperty("parts")[1];
        Assert.Equal("text/html", html.GetProperty("mediaType").GetString());
        Assert.Equal("iso-8859-1", html.GetProperty("charset").GetString());
        Assert.Equal("quotedprintable", html.GetProperty("encoding").GetString());
        var image = parts[1];
        Assert.Equal("image/png", image.GetProperty("mediaType").GetString());
        Assert.Equal("logo@example.org", image.GetProperty("contentId").GetString());
        Assert.Equal("base64", image.GetProperty("encoding").GetString());
        Assert.True(image.GetProperty("size").GetInt64() > 0);
        Assert.False(image.TryGetProperty("parts", out _));
    }

    [Fact]
    public async Task Structure_of_an_unknown_or_malformed_id_is_404()
    {
        using var http = server.BasicClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/messages/0123456789abcdef0123456789abcdef/structure")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/messages/..%2fx/structure")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/messages/{server.RelatedId}/tree")).StatusCode);
    }

    [Fact]
    public async Task Render_policy_names_the_setting_and_the_required_user_agent_and_says_whether_this_one_is_it()
    {
        using var http = server.BasicClient();
        foreach (var (agent, allowed) in new[] { (ConsoleApiServer.RenderUserAgent, true), ("Mozilla/5.0 (X11)", false) })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/render-policy");
            request.Headers.TryAddWithoutValidation("User-Agent", agent);
            var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("render-useragent", doc.RootElement.GetProperty("setting").GetString());
            Assert.Equal(ConsoleApiServer.RenderUserAgent, doc.RootElement.GetProperty("required").GetString());
            Assert.Equal(allowed, doc.RootElement.GetProperty("allowed").GetBoolean());
            Assert.Equal(agent, doc.RootElement.GetProperty("userAgent").GetString());
        }
    }

    [Fact]
    public async Task Rendered_html_carries_its_cid_images_as_data_uris_so_the_sandboxed_frame_needs_no_cookie()
    {
        using var http = server.BasicClient();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/render/{server.RelatedId}");
        request.Headers.TryAddWithoutValidation("User-Agent", ConsoleApiServer.RenderUserAgent);
        string html = await (await http.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Contains($"src=\"data:image/png;base64,{Convert.ToBase64String(ConsoleApiServer.Png)}\"", html);
        Assert.DoesNotContain("/cid/", html);
    }
}

/// <summary>One real <c>out/mailerq</c> delivering to a private Postfix smtp-sink, with two messages sent by swaks.</summary>
public sealed class LogsApiServer : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private MailerQProcess? _process;
    private Process? _sink;

    public int Port { get; private set; }

    public async ValueTask InitializeAsync()
    {
        int sinkPort = MailerQProcess.FreePort();
        var psi = new ProcessStartInfo("/usr/sbin/smtp-sink") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (Environment.IsPrivilegedProcess)
        {
            psi.ArgumentList.Add("-u");
            psi.ArgumentList.Add("nobody");
        }
        psi.ArgumentList.Add($"127.0.0.1:{sinkPort}");
        psi.ArgumentList.Add("100");
        _sink = Process.Start(psi)!;
        _sink.BeginOutputReadLine();
        _sink.BeginErrorReadLine();

        Port = MailerQProcess.FreePort();
        int smtp = MailerQProcess.FreePort();
        var config = _dir.Write("config.txt",
            $"www-port: {Port}\nwww-ip: 127.0.0.1\nwww-dir: {RepoRoot.Path}/www\ndata-directory: {_dir.Path}\n" +
            $"www-auth: hardcoded://{ConsoleApiServer.User}:{ConsoleApiServer.Password}\nsmtp-port: {smtp}\nsmtp-ip: 127.0.0.1\n" +
            $"smtp-sink-address: 127.0.0.1\nsmtp-sink-port: {sinkPort}\n");
        _process = MailerQProcess.Start(["--config-file", config]);
        await _process.WaitForPortAsync(Port);
        await _process.WaitForPortAsync(smtp);
        await _process.WaitForPortAsync(sinkPort);
        await SwaksAsync(smtp, "b@example.net");
        await SwaksAsync(smtp, "c@example.com");

        // Delivery is asynchronous: wait until both lines are in the send log.
        using var http = BasicClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync("/api/logs"));
            if (doc.RootElement.GetArrayLength() >= 2) break;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("no deliveries in the send log: " + _process.Stderr);
            await Task.Delay(200);
        }
    }

    private static async Task SwaksAsync(int port, string to)
    {
        var psi = new ProcessStartInfo("swaks") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--server", $"127.0.0.1:{port}", "--from", "a@example.org", "--to", to })
            psi.ArgumentList.Add(a);
        using var swaks = Process.Start(psi)!;
        var output = swaks.StandardOutput.ReadToEndAsync();
        var errors = swaks.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await swaks.WaitForExitAsync(timeout.Token);
        Assert.True(swaks.ExitCode == 0, await output + await errors);
    }

    public HttpClient Client() =>
        new(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };

    public HttpClient BasicClient()
    {
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{ConsoleApiServer.User}:{ConsoleApiServer.Password}")));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        if (_sink is { HasExited: false })
        {
            _sink.Kill();
            await _sink.WaitForExitAsync();
        }
        _sink?.Dispose();
        _dir.Dispose();
    }
}

public sealed class LogsApiTests(LogsApiServer server) : IClassFixture<LogsApiServer>
{
    private async Task<JsonElement[]> LogsAsync(string query)
    {
        using var http = server.BasicClient();
        var response = await http.GetAsync("/api/logs" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. doc.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    [Fact]
    public async Task Logs_lists_the_deliveries_with_the_send_log_fields()
    {
        var entries = await LogsAsync("");
        Assert.Equal(2, entries.Length);
        // Both are delivered in parallel, so either may be logged first ("newest" = last written, and a line's
        // time is its attempt's, so not even time order is fixed).
        Assert.Equal(["b@example.net", "c@example.com"], entries.Select(e => e.GetProperty("recipient").GetString()).Order());
        var entry = entries.Single(e => e.GetProperty("recipient").GetString() == "b@example.net");
        Assert.Equal("delivered", entry.GetProperty("disposition").GetString());
        Assert.Equal(250, entry.GetProperty("code").GetInt32());
        Assert.Equal(1, entry.GetProperty("attempt").GetInt32());
        Assert.Equal("127.0.0.1", entry.GetProperty("remote").GetString());
        Assert.Equal(JsonValueKind.Array, entry.GetProperty("tags").ValueKind);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", entry.GetProperty("time").GetString());
        string line = entry.GetProperty("line").GetString()!;
        Assert.Contains(" delivered b@example.net ", line);
        Assert.Equal(32, entry.GetProperty("id").GetString()!.Length);
    }

    [Fact]
    public async Task Logs_filters_by_text_domain_mta_tag_result_and_limit()
    {
        Assert.Single(await LogsAsync("?q=B%40EXAMPLE.NET"));
        Assert.Equal("c@example.com", Assert.Single(await LogsAsync("?domain=Example.COM")).GetProperty("recipient").GetString());
        Assert.Equal(2, (await LogsAsync("?result=delivered")).Length);
        Assert.Empty(await LogsAsync("?result=failed"));
        Assert.Empty(await LogsAsync("?tag=newsletter"));
        Assert.Empty(await LogsAsync("?mta=192.0.2.9"));
        string mta = (await LogsAsync(""))[0].GetProperty("mta").GetString() ?? "";
        if (mta.Length > 0) Assert.Equal(2, (await LogsAsync($"?mta={mta}")).Length);
        Assert.Single(await LogsAsync("?limit=1"));
        Assert.Empty(await LogsAsync("?limit=0"));
    }

    [Theory]
    [InlineData("?limit=-1")]
    [InlineData("?limit=10001")]
    [InlineData("?limit=x")]
    [InlineData("?q=%FF")]
    [InlineData("?result=bounced")]
    public async Task Logs_refuses_a_malformed_query(string query)
    {
        using var http = server.BasicClient();
        var response = await http.GetAsync("/api/logs" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"error\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Logs_needs_a_login()
    {
        using var http = server.Client();
        http.DefaultRequestHeaders.Add("X-Requested-With", "XMLHttpRequest");
        var response = await http.GetAsync("/api/logs");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(response.Headers.WwwAuthenticate);
    }
}
