using System.Net;
using System.Net.Http;
using System.Text.Json;

namespace MailerQ.Www.Host.Tests.Settings;

/// <summary>
/// <c>PATCH /api/dkim/{domain}/{selector}</c>: changes a key's extra headers, expiry, priority and sign patterns over
/// HTTPS, keeps its private key, and is refused on plain HTTP, without a login and without the CSRF token.
/// </summary>
public sealed class DkimUpdateApiTests
{
    private const string Key = "/api/dkim/example.com/mq1";

    [Fact]
    public async Task Patching_a_key_changes_only_the_fields_named_and_keeps_its_dns_record()
    {
        await using var s = await HttpsSettingsServer.StartAsync();
        var (status, body) = await s.SendAsync(HttpMethod.Post, "/api/dkim", json:
            "{\"domain\":\"example.com\",\"selector\":\"mq1\",\"generate\":true,\"algorithm\":\"ed25519\",\"priority\":1,\"headers\":[\"Reply-To\"],\"patterns\":[{\"pattern\":\"*.example.com\",\"type\":\"fnmatch\"}]}");
        Assert.Equal(HttpStatusCode.OK, status);
        string publicKey = JsonDocument.Parse(body).RootElement.GetProperty("publicKey").GetString()!;

        (status, body) = await s.SendAsync(HttpMethod.Patch, Key, json: "{\"expire\":\"2099-06-30 12:00:00\",\"priority\":-5}");
        Assert.Equal(HttpStatusCode.OK, status);
        using (var doc = JsonDocument.Parse(body))
        {
            var k = doc.RootElement;
            Assert.Equal(("2099-06-30 12:00:00", -5), (k.GetProperty("expire").GetString(), k.GetProperty("priority").GetInt32()));
            // Not named: unchanged.
            Assert.Equal("[\"Reply-To\"]", k.GetProperty("headers").GetRawText());
            Assert.Equal("*.example.com", Assert.Single(k.GetProperty("patterns").EnumerateArray()).GetProperty("pattern").GetString());
            Assert.Equal(publicKey, k.GetProperty("publicKey").GetString());
        }

        // A form sends every field: domain and selector may come along unchanged; null clears.
        (status, body) = await s.SendAsync(HttpMethod.Patch, Key, json:
            "{\"domain\":\"Example.com\",\"selector\":\"mq1\",\"headers\":\"List-Unsubscribe:List-Unsubscribe-Post\",\"expire\":null,\"patterns\":[{\"pattern\":\"\",\"type\":\"global\"}]}");
        Assert.Equal(HttpStatusCode.OK, status);
        using (var doc = JsonDocument.Parse((await s.SendAsync(HttpMethod.Get, Key)).Body))
        {
            var k = doc.RootElement;
            Assert.Equal(JsonValueKind.Null, k.GetProperty("expire").ValueKind);
            Assert.Equal(-5, k.GetProperty("priority").GetInt32());
            Assert.Equal("[\"List-Unsubscribe\",\"List-Unsubscribe-Post\"]", k.GetProperty("headers").GetRawText());
            Assert.Equal("global", Assert.Single(k.GetProperty("patterns").EnumerateArray()).GetProperty("type").GetString());
            Assert.Equal(publicKey, k.GetProperty("publicKey").GetString());
        }

        foreach (var (json, error) in new[]
        {
            ("{\"selector\":\"other\"}", "selector cannot change"),
            ("{\"domain\":\"example.org\"}", "domain cannot change"),
            ("{\"privateKey\":\"-----BEGIN PRIVATE KEY-----\"}", "privateKey cannot change"),
            ("{\"algorithm\":\"rsa-2048\"}", "algorithm cannot change"),
            ("{\"expire\":\"soon\"}", "expire must be a time"),
            ("{\"priority\":\"high\"}", "priority must be a whole number"),
            ("{\"headers\":[\"Bad:Name\"]}", "Bad:Name is not a header field name"),
            ("{\"patterns\":[{\"pattern\":\"(\",\"type\":\"regex\"}]}", "invalid regular expression"),
            ("[]", "the body must be a JSON object"),
            ("{", "malformed JSON"),
        })
        {
            (status, body) = await s.SendAsync(HttpMethod.Patch, Key, json: json);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains(error, SettingsServer.Error(body));
        }
        (status, _) = await s.SendAsync(HttpMethod.Patch, "/api/dkim/example.com/nope", json: "{\"priority\":1}");
        Assert.Equal(HttpStatusCode.NotFound, status);

        // Logged with user and time, like every settings write; the private key is never in it.
        string audit = (await s.SendAsync(HttpMethod.Get, "/api/audit")).Body;
        using var entries = JsonDocument.Parse(audit);
        Assert.Contains(entries.RootElement.EnumerateArray(), e =>
            (e.GetProperty("user").GetString(), e.GetProperty("action").GetString(), e.GetProperty("target").GetString()) == ("alice", "update", "dkim")
            && e.GetProperty("detail").GetString()!.StartsWith("example.com mq1 priority=-5 ", StringComparison.Ordinal));
        Assert.DoesNotContain("PRIVATE", audit);
        Assert.Contains("settings dkim key updated user=alice domain=example.com selector=mq1 priority=-5", s.Process.Stderr);
    }

    [Fact]
    public async Task Patching_a_key_needs_a_login_and_the_csrf_token_of_a_cookie_session()
    {
        await using var s = await HttpsSettingsServer.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, "/api/dkim", json: "{\"domain\":\"example.com\",\"selector\":\"mq1\",\"generate\":true,\"algorithm\":\"ed25519\"}")).Status);

        var (status, _) = await s.SendAsync(HttpMethod.Patch, Key, json: "{\"priority\":9}", noAuth: true);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        var (cookie, csrf) = await s.LogInAsync();
        (status, _) = await s.SendAsync(HttpMethod.Patch, Key, json: "{\"priority\":9}", cookie: cookie);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        (status, _) = await s.SendAsync(HttpMethod.Patch, Key, json: "{\"priority\":9}", cookie: cookie, csrf: "wrong");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        using (var doc = JsonDocument.Parse((await s.SendAsync(HttpMethod.Get, Key, cookie: cookie)).Body))
            Assert.Equal(0, doc.RootElement.GetProperty("priority").GetInt32());

        (status, _) = await s.SendAsync(HttpMethod.Patch, Key, json: "{\"priority\":9}", cookie: cookie, csrf: csrf);
        Assert.Equal(HttpStatusCode.OK, status);
        using (var doc = JsonDocument.Parse((await s.SendAsync(HttpMethod.Get, Key, cookie: cookie)).Body))
            Assert.Equal(9, doc.RootElement.GetProperty("priority").GetInt32());
    }

    [Fact]
    public async Task Patching_a_key_over_plain_http_is_refused_with_https_required()
    {
        await using var s = await SettingsServer.StartAsync();
        var (status, body) = await s.SendAsync(HttpMethod.Patch, Key, json: "{\"priority\":9}");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("https-required", doc.RootElement.GetProperty("reason").GetString());
        Assert.Equal("[]", (await s.SendAsync(HttpMethod.Get, "/api/audit")).Body);
    }
}
