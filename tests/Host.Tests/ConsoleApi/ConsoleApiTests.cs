using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;

namespace MailerQ.Www.Host.Tests.ConsoleApi;

/// <summary>The console's read API over real sockets against the real program (CONTRACT.md "Console API").</summary>
public sealed class ConsoleApiTests(ConsoleApiServer server) : IClassFixture<ConsoleApiServer>
{
    private const string Csp = "sandbox; default-src 'none'; img-src * data: cid:; style-src 'unsafe-inline'";

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        AssertNoStore(response);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    private static void AssertNoStore(HttpResponseMessage response) =>
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());

    private static HttpRequestMessage Get(string path, string? userAgent = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (userAgent is not null) request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        return request;
    }

    public static TheoryData<string> ProtectedRoutes() =>
    [
        "/api/stats", "/api/stats/history?seconds=10", "/api/smtp/sessions", "/api/smtp/sessions/1",
        "/api/messages/0123456789abcdef0123456789abcdef/raw", "/api/messages/0123456789abcdef0123456789abcdef/html",
        "/render/0123456789abcdef0123456789abcdef", "/render/0123456789abcdef0123456789abcdef/cid/x", "/api/cluster", "/metrics",
    ];

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task Every_route_needs_a_login(string path)
    {
        using var http = server.Client();
        var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain(ConsoleApiServer.Marker, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_wrong_basic_password_is_refused()
    {
        using var http = server.Client();
        var request = Get("/api/stats");
        request.Headers.Authorization = new("Basic", Convert.ToBase64String("ops:wrong"u8));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task A_cookie_session_reads_the_api_like_basic_does()
    {
        using var http = server.Client();
        var login = await http.PostAsync("/api/login", new StringContent($"{{\"username\":\"{ConsoleApiServer.User}\",\"password\":\"{ConsoleApiServer.Password}\"}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        string cookie = login.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        foreach (var path in new[] { "/api/stats", "/api/smtp/sessions", "/api/cluster", "/metrics" })
        {
            var request = Get(path);
            request.Headers.Add("Cookie", cookie);
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
        }
    }

    [Fact]
    public async Task Stats_has_the_contract_fields_for_the_last_minute_and_since_start()
    {
        using var http = server.BasicClient();
        var stats = await JsonAsync(await http.GetAsync("/api/stats"));
        string[] six = ["connects", "attempts", "deliveries", "errors", "strange", "notTried"];
        foreach (var name in six)
        {
            Assert.Equal(JsonValueKind.Number, stats.GetProperty(name).ValueKind);
            Assert.Equal(JsonValueKind.Number, stats.GetProperty("totals").GetProperty(name).ValueKind);
        }
        Assert.True(stats.GetProperty("uptime").GetInt64() >= 0);
        var inbound = stats.GetProperty("inbound");
        Assert.True(inbound.GetProperty("connections").GetInt64() >= 3);
        Assert.True(inbound.GetProperty("messages").GetInt64() >= 3);
        Assert.True(inbound.GetProperty("bytes").GetInt64() > 0);
        // The delivery engine takes the swaks messages out of the outbox as it works on them, so only the field is fixed.
        Assert.True(stats.GetProperty("queue").GetProperty("outbox").GetInt64() >= 0);
        Assert.True(stats.GetProperty("http").GetProperty("connections").GetInt64() >= 1);
        Assert.Equal(0, stats.GetProperty("http").GetProperty("websockets").GetInt64());
    }

    [Fact]
    public async Task Stats_take_mta_domain_and_tag_filters()
    {
        using var http = server.BasicClient();
        var stats = await JsonAsync(await http.GetAsync("/api/stats?mta=192.0.2.1&domain=example.net&tag=news%20letter"));
        Assert.Equal(0, stats.GetProperty("deliveries").GetInt64());
        Assert.Equal(0, stats.GetProperty("totals").GetProperty("attempts").GetInt64());
        // Inbound numbers are not sliced by the delivery filters.
        Assert.True(stats.GetProperty("inbound").GetProperty("messages").GetInt64() >= 3);
    }

    [Theory]
    [InlineData("/api/stats?domain=%ZZ")]
    [InlineData("/api/stats?domain=a%2")]
    [InlineData("/api/stats?tag=%00")]
    [InlineData("/api/stats?mta=%FF%FE")]
    [InlineData("/api/stats/history?seconds=10&domain=%ZZ")]
    public async Task Stats_refuse_a_malformed_filter(string target)
    {
        // Raw bytes: HttpClient would re-escape a broken percent sign before sending it.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", server.Port);
        var stream = tcp.GetStream();
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ConsoleApiServer.User}:{ConsoleApiServer.Password}"));
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic {auth}\r\nConnection: close\r\n\r\n"));
        string reply = await new StreamReader(stream, Encoding.UTF8).ReadToEndAsync();
        Assert.StartsWith("HTTP/1.1 400 ", reply);
        Assert.Contains("Cache-Control: no-store", reply);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(60)]
    [InlineData(3600)]
    public async Task History_gives_one_value_per_second_in_each_series(int seconds)
    {
        using var http = server.BasicClient();
        var history = await JsonAsync(await http.GetAsync($"/api/stats/history?seconds={seconds}&domain=example.net"));
        Assert.Equal(seconds, history.GetProperty("seconds").GetInt32());
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.InRange(history.GetProperty("start").GetInt64(), now - seconds - 5, now - seconds + 5);
        foreach (var name in new[] { "connects", "attempts", "deliveries", "errors", "strange", "notTried" })
            Assert.Equal(seconds, history.GetProperty(name).GetArrayLength());
    }

    [Fact]
    public async Task History_defaults_to_the_last_minute()
    {
        using var http = server.BasicClient();
        var history = await JsonAsync(await http.GetAsync("/api/stats/history"));
        Assert.Equal(60, history.GetProperty("connects").GetArrayLength());
    }

    [Theory]
    [InlineData("3601")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("99999999999999")]
    [InlineData("1.5")]
    public async Task History_refuses_seconds_beyond_an_hour_or_malformed(string seconds)
    {
        using var http = server.BasicClient();
        var response = await http.GetAsync($"/api/stats/history?seconds={seconds}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("seconds", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Swaks_session_is_listed_with_its_message_and_transcript()
    {
        using var http = server.BasicClient();
        var list = await JsonAsync(await http.GetAsync("/api/smtp/sessions?limit=50"));
        var session = list.EnumerateArray().Single(s => s.GetProperty("messageId").GetString() == server.RelatedId);
        Assert.Equal("in", session.GetProperty("direction").GetString());
        Assert.StartsWith("127.0.0.1:", session.GetProperty("peer").GetString());
        Assert.Equal("a@example.org", session.GetProperty("from").GetString());
        Assert.Equal(["b@example.net"], session.GetProperty("rcpts").EnumerateArray().Select(r => r.GetString()));
        Assert.True(session.GetProperty("size").GetInt64() > 0);
        Assert.True(DateTimeOffset.TryParse(session.GetProperty("started").GetString(), out _));

        long id = session.GetProperty("id").GetInt64();
        var transcript = await JsonAsync(await http.GetAsync($"/api/smtp/sessions/{id}"));
        var lines = transcript.EnumerateArray().Select(l => (Dir: l.GetProperty("dir").GetString(), Line: l.GetProperty("line").GetString()!, T: l.GetProperty("t").GetInt64())).ToList();
        Assert.Contains(lines, l => l.Dir == "c" && l.Line.StartsWith("MAIL FROM:<a@example.org>", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Dir == "s" && l.Line.StartsWith("220 ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Dir == "s" && l.Line.Contains(server.RelatedId, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(l.T >= 0));
    }

    [Fact]
    public async Task Sessions_come_newest_first_and_honour_the_limit()
    {
        using var http = server.BasicClient();
        var all = await JsonAsync(await http.GetAsync("/api/smtp/sessions"));
        var ids = all.EnumerateArray().Select(s => s.GetProperty("id").GetInt64()).ToList();
        Assert.True(ids.Count >= 4);
        Assert.Equal(ids.OrderDescending(), ids);
        var one = await JsonAsync(await http.GetAsync("/api/smtp/sessions?limit=1"));
        Assert.Equal(ids[0], Assert.Single(one.EnumerateArray()).GetProperty("id").GetInt64());
        var none = await JsonAsync(await http.GetAsync("/api/smtp/sessions?limit=0"));
        Assert.Equal(0, none.GetArrayLength());
    }

    [Theory]
    [InlineData("/api/smtp/sessions?limit=abc", HttpStatusCode.BadRequest)]
    [InlineData("/api/smtp/sessions?limit=-1", HttpStatusCode.BadRequest)]
    [InlineData("/api/smtp/sessions?limit=10001", HttpStatusCode.BadRequest)]
    [InlineData("/api/smtp/sessions/999999", HttpStatusCode.NotFound)]
    [InlineData("/api/smtp/sessions/abc", HttpStatusCode.NotFound)]
    [InlineData("/api/smtp/sessions/-1", HttpStatusCode.NotFound)]
    [InlineData("/api/smtp/sessions/1/extra", HttpStatusCode.NotFound)]
    public async Task Sessions_refuse_bad_parameters(string path, HttpStatusCode expected)
    {
        using var http = server.BasicClient();
        Assert.Equal(expected, (await http.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Raw_is_the_stored_mime_as_message_rfc822()
    {
        using var http = server.BasicClient();
        var response = await http.GetAsync($"/api/messages/{server.RelatedId}/raw");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("message/rfc822", response.Content.Headers.ContentType?.MediaType);
        AssertNoStore(response);
        string raw = Encoding.ASCII.GetString(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("Subject: related", raw);
        Assert.Contains("Content-ID: <logo@example.org>", raw);
        Assert.Contains($"Gr=FC=DFe {ConsoleApiServer.Marker}", raw);
    }

    [Fact]
    public async Task Html_is_the_decoded_html_part_as_utf8_text()
    {
        using var http = server.BasicClient();
        var response = await http.GetAsync($"/api/messages/{server.RelatedId}/html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        AssertNoStore(response);
        string html = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains($"<p>Grüße {ConsoleApiServer.Marker}</p>", html);
        Assert.Contains("src=\"cid:logo@example.org\"", html);

        var base64 = await http.GetAsync($"/api/messages/{server.Base64HtmlId}/html");
        Assert.Equal("<p>Привет, base64 ✓</p>", Encoding.UTF8.GetString(await base64.Content.ReadAsByteArrayAsync()).Trim());

        var koi8 = await http.GetAsync($"/api/messages/{server.Koi8Id}/html");
        Assert.Equal("<b>Привет</b>", Encoding.UTF8.GetString(await koi8.Content.ReadAsByteArrayAsync()).Trim());
    }

    [Fact]
    public async Task Html_of_a_message_without_an_html_part_is_404()
    {
        using var http = server.BasicClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/messages/{server.PlainId}/html")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/messages/{server.PlainId}/raw")).StatusCode);
        var render = await http.SendAsync(Get($"/render/{server.PlainId}", ConsoleApiServer.RenderUserAgent));
        Assert.Equal(HttpStatusCode.NotFound, render.StatusCode);
    }

    [Theory]
    [InlineData("/api/messages/ffffffffffffffffffffffffffffffff/raw")]
    [InlineData("/api/messages/../../etc/passwd/raw")]
    [InlineData("/api/messages/..%2f..%2fetc%2fpasswd/raw")]
    [InlineData("/api/messages/0123456789ABCDEF0123456789ABCDEF/raw")]
    [InlineData("/api/messages/0123456789abcdef/raw")]
    [InlineData("/api/messages/%2e%2e/raw")]
    [InlineData("/api/messages/{related}/other")]
    [InlineData("/api/messages/{related}")]
    [InlineData("/api/messages/{related}/raw/")]
    public async Task Messages_refuse_unknown_or_malformed_ids(string path)
    {
        using var http = server.BasicClient();
        var response = await http.GetAsync(path.Replace("{related}", server.RelatedId, StringComparison.Ordinal));
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{path}: {response.StatusCode}");
        Assert.DoesNotContain("root:", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Render_with_the_configured_user_agent_is_sandboxed_html_with_cid_links()
    {
        using var http = server.BasicClient();
        var response = await http.SendAsync(Get($"/render/{server.RelatedId}", ConsoleApiServer.RenderUserAgent));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(Csp, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        AssertNoStore(response);
        string html = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains($"Grüße {ConsoleApiServer.Marker}", html);
        // Image parts travel inside the page as data: URIs: the sandboxed frame's requests carry no session cookie.
        Assert.Contains($"src=\"data:image/png;base64,{Convert.ToBase64String(ConsoleApiServer.Png)}\"", html);
        Assert.DoesNotContain("cid:", html);

        var base64 = await http.SendAsync(Get($"/render/{server.Base64HtmlId}", ConsoleApiServer.RenderUserAgent));
        Assert.Contains("Привет", Encoding.UTF8.GetString(await base64.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task Cid_image_is_served_from_the_message_with_the_same_protections()
    {
        using var http = server.BasicClient();
        var response = await http.SendAsync(Get($"/render/{server.RelatedId}/cid/logo%40example.org", ConsoleApiServer.RenderUserAgent));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Csp, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(ConsoleApiServer.Png, await response.Content.ReadAsByteArrayAsync());

        var unknown = await http.SendAsync(Get($"/render/{server.RelatedId}/cid/nope%40example.org", ConsoleApiServer.RenderUserAgent));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var refused = await http.SendAsync(Get($"/render/{server.RelatedId}/cid/logo%40example.org", "Mozilla/5.0"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.NotEqual(ConsoleApiServer.Png.Take(8), (await refused.Content.ReadAsByteArrayAsync()).Take(8));
    }

    [Theory]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0")]
    [InlineData("copernica devops")]
    [InlineData("Copernica DevOps/2")]
    [InlineData(null)]
    public async Task Render_with_another_user_agent_is_refused_without_a_byte_of_the_message(string? userAgent)
    {
        using var http = server.BasicClient();
        var response = await http.SendAsync(Get($"/render/{server.RelatedId}", userAgent));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        string body = await response.Content.ReadAsStringAsync();
        Assert.Contains("render-useragent", body);
        Assert.Contains("user agent is not allowed", body);
        Assert.DoesNotContain(ConsoleApiServer.Marker, body);
        Assert.DoesNotContain("Grüße", body);
        Assert.DoesNotContain("logo@example.org", body);
        Assert.DoesNotContain("Subject", body);
    }

    [Fact]
    public async Task Render_of_an_unknown_or_malformed_id_is_404_for_the_allowed_agent()
    {
        using var http = server.BasicClient();
        foreach (var path in new[] { "/render/ffffffffffffffffffffffffffffffff", "/render/..%2f..%2fetc%2fpasswd", "/render/", $"/render/{server.RelatedId}/other" })
        {
            var response = await http.SendAsync(Get(path, ConsoleApiServer.RenderUserAgent));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task Cluster_lists_this_instance_alone_with_its_url()
    {
        using var http = server.BasicClient();
        var cluster = await JsonAsync(await http.GetAsync("/api/cluster"));
        var self = Assert.Single(cluster.EnumerateArray());
        Assert.Equal(ConsoleApiServer.WwwHost, self.GetProperty("host").GetString());
        Assert.Equal($"http://{ConsoleApiServer.WwwHost}:{server.Port}", self.GetProperty("url").GetString());
        Assert.True(self.GetProperty("self").GetBoolean());
        var lastSeen = DateTimeOffset.Parse(self.GetProperty("lastSeen").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(lastSeen, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_with_every_family()
    {
        using var anonymous = server.Client();
        await anonymous.GetAsync("/metrics"); // one 401 to count
        using var http = server.BasicClient();
        var response = await http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        AssertNoStore(response);
        string text = await response.Content.ReadAsStringAsync();
        foreach (var family in new[]
        {
            "mailerq_http_connections", "mailerq_http_websockets", "mailerq_http_responses_total", "mailerq_smtp_inbound_connections_total",
            "mailerq_smtp_inbound_messages_total", "mailerq_smtp_inbound_bytes_total", "mailerq_queue_messages", "mailerq_delivery_events_total",
            "mailerq_delivery_latency_seconds", "mailerq_auth_results_total",
        })
            Assert.Contains($"# TYPE {family} ", text);

        var samples = text.Split('\n').Where(l => l.Length > 0 && l[0] != '#')
            .ToDictionary(l => l[..l.LastIndexOf(' ')], l => double.Parse(l[(l.LastIndexOf(' ') + 1)..].Replace("+Inf", "Infinity", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(samples["mailerq_http_connections{state=\"handling\"}"] >= 1);
        Assert.True(samples["mailerq_http_responses_total{code=\"2xx\"}"] >= 1);
        Assert.True(samples["mailerq_http_responses_total{code=\"4xx\"}"] >= 1);
        Assert.True(samples["mailerq_smtp_inbound_messages_total"] >= 3);
        Assert.True(samples["mailerq_queue_messages{queue=\"outbox\"}"] >= 0);
        Assert.True(samples["mailerq_auth_results_total{scheme=\"hardcoded\",result=\"accepted\"}"] >= 1);
        Assert.Equal(0, samples["mailerq_delivery_events_total{event=\"delivery\"}"]);
        Assert.Equal(samples["mailerq_delivery_latency_seconds_count"], samples["mailerq_delivery_latency_seconds_bucket{le=\"+Inf\"}"]);
    }

    [Fact]
    public async Task Failed_basic_logins_are_counted_by_scheme()
    {
        using var http = server.Client();
        var request = Get("/api/cluster");
        request.Headers.Authorization = new("Basic", Convert.ToBase64String("nobody-metrics:wrong"u8));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(request)).StatusCode);
        using var basic = server.BasicClient();
        string text = await (await basic.GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.Contains("mailerq_auth_results_total{scheme=\"hardcoded\",result=\"rejected\"} ", text);
    }

    [Fact]
    public async Task Unknown_api_route_is_401_before_login_and_404_after()
    {
        using var anonymous = server.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/nothing-here")).StatusCode);
        using var http = server.BasicClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/nothing-here")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.PostAsync("/api/stats", new StringContent(""))).StatusCode);
    }
}
