using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;

namespace MailerQ.Www.Host.Tests.ConsoleApi;

/// <summary>
/// The Domains, MTA IPs and Tags routes and <c>/api/status</c> against the real program after real deliveries
/// (docs/console-api.md "Lists").
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ListsApiTests(ListsApiServer server) : IClassFixture<ListsApiServer>
{
    public static TheoryData<string> ReadRoutes() =>
    [
        "/api/status", "/api/status?domain=lists.example", "/api/domains", "/api/domains/lists.example",
        "/api/ips", "/api/ips/127.0.0.1", "/api/tags", "/api/tags/spring%2Bsale",
    ];

    [Theory]
    [MemberData(nameof(ReadRoutes))]
    public async Task Every_route_needs_a_login(string path)
    {
        using var http = server.Client();
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Renaming_needs_a_login_and_with_a_cookie_session_the_csrf_token()
    {
        using var http = server.Client();
        using (var anonymous = await http.PutAsync("/api/ips/127.0.0.1", Json("""{"name":"x"}""")))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var login = await http.PostAsync("/api/login", Json($$"""{"username":"{{ListsApiServer.User}}","password":"{{ListsApiServer.Password}}"}"""));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        string cookie = login.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        string csrf;
        using (var doc = JsonDocument.Parse(await login.Content.ReadAsStringAsync()))
            csrf = doc.RootElement.GetProperty("csrf").GetString()!;

        using var withoutToken = new HttpRequestMessage(HttpMethod.Put, "/api/ips/192.0.2.77") { Content = Json("""{"name":"x"}""") };
        withoutToken.Headers.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(withoutToken)).StatusCode);

        using var withToken = new HttpRequestMessage(HttpMethod.Put, "/api/ips/192.0.2.77") { Content = Json("""{"name":"cookie rename"}""") };
        withToken.Headers.Add("Cookie", cookie);
        withToken.Headers.Add("X-CSRF-Token", csrf);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(withToken)).StatusCode);
    }

    [Fact]
    public async Task Domains_lists_each_recipient_domain_with_its_numbers()
    {
        var (status, list) = await server.GetAsync("/api/domains");
        Assert.Equal(HttpStatusCode.OK, status);
        var lists = Find(list, "name", "lists.example");
        // "last" is the last 60 s: the fixture's mail, unless the run is slow; "totals" is since start.
        Assert.InRange(lists.GetProperty("last").GetProperty("deliveries").GetInt64(), 0, 2);
        Assert.Equal(2, lists.GetProperty("totals").GetProperty("deliveries").GetInt64());
        Assert.Equal(2, lists.GetProperty("totals").GetProperty("attempts").GetInt64());
        Assert.Equal(1, Find(list, "name", "other.example").GetProperty("totals").GetProperty("deliveries").GetInt64());
        Assert.False(lists.GetProperty("paused").GetBoolean());
        foreach (var field in new[] { "open", "idle", "handling" })
            Assert.Equal(JsonValueKind.Number, lists.GetProperty(field).ValueKind);
    }

    [Fact]
    public async Task A_domain_shows_the_remote_ips_it_is_delivered_to()
    {
        var (status, domain) = await server.GetAsync("/api/domains/Lists.Example");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("lists.example", domain.GetProperty("name").GetString());
        Assert.Equal(2, domain.GetProperty("totals").GetProperty("deliveries").GetInt64());
        var route = Assert.Single(domain.GetProperty("routes").EnumerateArray());
        Assert.Equal($"relay:127.0.0.1:{server.SinkPort}", route.GetProperty("hop").GetString());
        var remote = Assert.Single(route.GetProperty("remoteIps").EnumerateArray());
        Assert.Equal("127.0.0.1", remote.GetProperty("ip").GetString());
        Assert.Equal(server.SinkPort, remote.GetProperty("port").GetInt32());
        Assert.Equal(JsonValueKind.Null, remote.GetProperty("pause").ValueKind);
        Assert.Equal(JsonValueKind.Null, domain.GetProperty("pause").ValueKind);
    }

    [Fact]
    public async Task A_domain_never_seen_answers_zeros_and_a_broken_name_404()
    {
        var (status, domain) = await server.GetAsync("/api/domains/never.example");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, domain.GetProperty("totals").GetProperty("attempts").GetInt64());
        Assert.Empty(domain.GetProperty("routes").EnumerateArray());
        foreach (var path in new[] { "/api/domains/%FF", "/api/domains/a%00b", "/api/domains/a/b", "/api/ips/not-an-ip", "/api/tags/%C3" })
            Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync(path)).Status);
    }

    [Fact]
    public async Task Pausing_a_domain_and_a_remote_ip_shows_in_the_domain_and_the_status()
    {
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Post, "/v1/pauses", """{"domain":"paused.example"}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Post, "/v1/pauses", """{"ip":"192.0.2.9"}""")).Status);
        try
        {
            var (_, domain) = await server.GetAsync("/api/domains/paused.example");
            Assert.Equal("paused.example", domain.GetProperty("pause").GetProperty("domain").GetString());
            Assert.Equal("paused.example", domain.GetProperty("pausedBy").GetProperty("domain").GetString());

            var (_, status) = await server.GetAsync("/api/status?domain=paused.example");
            Assert.True(status.GetProperty("pauses").GetInt32() >= 2);
            Assert.Equal("paused.example", status.GetProperty("selection").GetProperty("pause").GetProperty("domain").GetString());
            Assert.True(status.GetProperty("delivery").GetBoolean());

            // A tag of that domain is not paused by itself, but its mail to the domain is.
            var (_, other) = await server.GetAsync("/api/status?domain=lists.example");
            Assert.Equal(JsonValueKind.Null, other.GetProperty("selection").GetProperty("pause").ValueKind);
            Assert.Equal(JsonValueKind.Null, other.GetProperty("selection").GetProperty("pausedBy").ValueKind);
        }
        finally
        {
            await server.SendAsync(HttpMethod.Delete, "/v1/pauses", """{"domain":"paused.example"}""");
            await server.SendAsync(HttpMethod.Delete, "/v1/pauses", """{"ip":"192.0.2.9"}""");
        }
    }

    [Fact]
    public async Task Status_counts_forced_errors_and_refuses_a_malformed_filter()
    {
        var (_, before) = await server.GetAsync("/api/status");
        int errors = before.GetProperty("forcedErrors").GetInt32();
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Post, "/v1/errors", """{"domain":"forced.example","code":550}""")).Status);
        try
        {
            var (_, after) = await server.GetAsync("/api/status");
            Assert.Equal(errors + 1, after.GetProperty("forcedErrors").GetInt32());
            foreach (var field in new[] { "pauses", "suppressions", "throttles", "parked", "handling", "connections" })
                Assert.Equal(JsonValueKind.Number, after.GetProperty(field).ValueKind);
        }
        finally
        {
            await server.SendAsync(HttpMethod.Delete, "/v1/errors", """{"domain":"forced.example"}""");
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await server.GetAsync("/api/status?domain=%C3")).Status);
    }

    [Fact]
    public async Task Mta_ips_lists_the_sending_ip_and_a_rename_is_its_display_name()
    {
        var (_, list) = await server.GetAsync("/api/ips");
        var local = Find(list, "ip", "127.0.0.1");
        Assert.Equal(3, local.GetProperty("totals").GetProperty("deliveries").GetInt64());

        var (status, body) = await server.SendAsync(HttpMethod.Put, "/api/ips/127.0.0.1", """{"name":"Loopback sender"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Loopback sender", body);
        var (_, item) = await server.GetAsync("/api/ips/127.0.0.1");
        Assert.Equal("Loopback sender", item.GetProperty("name").GetString());
        Assert.False(item.TryGetProperty("ehlo", out _)); // the EHLO name (mtanames) is untouched
        (_, list) = await server.GetAsync("/api/ips");
        Assert.Equal("Loopback sender", Find(list, "ip", "127.0.0.1").GetProperty("name").GetString());

        // Recorded in the audit log with the user; an empty name removes it.
        var (_, audit) = await server.GetAsync("/api/audit?limit=50");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("target").GetString() == "mtalabel" && e.GetProperty("user").GetString() == ListsApiServer.User);
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Put, "/api/ips/127.0.0.1", """{"name":""}""")).Status);
        (_, item) = await server.GetAsync("/api/ips/127.0.0.1");
        Assert.False(item.TryGetProperty("name", out _));
    }

    [Fact]
    public async Task A_rename_too_long_or_of_something_not_an_ip_is_refused()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await server.SendAsync(HttpMethod.Put, "/api/ips/192.0.2.1", $$"""{"name":"{{new string('x', 65)}}"}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.SendAsync(HttpMethod.Put, "/api/ips/192.0.2.1", "not json")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Put, "/api/ips/example.org", """{"name":"x"}""")).Status);
    }

    [Fact]
    public async Task Tags_lists_the_tags_of_delivered_mail()
    {
        var (_, list) = await server.GetAsync("/api/tags");
        var tag = Find(list, "name", ListsApiServer.Tag);
        Assert.Equal(1, tag.GetProperty("totals").GetProperty("deliveries").GetInt64());
        // In a path "+" is a plus (RFC 3986), whether escaped or not.
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/api/tags/spring+sale")).Status);
        var (status, item) = await server.GetAsync("/api/tags/spring%2Bsale");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(ListsApiServer.Tag, item.GetProperty("name").GetString());
        Assert.Equal(1, item.GetProperty("totals").GetProperty("deliveries").GetInt64());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("pause").ValueKind);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static JsonElement Find(JsonElement array, string field, string value)
    {
        foreach (var item in array.EnumerateArray())
            if (item.GetProperty(field).GetString() == value) return item;
        Assert.Fail($"no {field} {value} in {array}");
        return default;
    }
}
