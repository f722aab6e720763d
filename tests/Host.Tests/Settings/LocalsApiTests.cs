using System.Net;
using System.Net.Http;
using System.Text.Json;

namespace MailerQ.Www.Host.Tests.Settings;

/// <summary>The "Local addresses" routes: <c>/api/locals</c> list, add, replace and delete, audited with the user.</summary>
public sealed class LocalsApiTests
{
    [Fact]
    public async Task Local_addresses_are_added_listed_replaced_and_deleted()
    {
        await using var s = await SettingsServer.StartAsync();
        Assert.Equal("[]", (await s.SendAsync(HttpMethod.Get, "/api/locals")).Body);

        var (status, body) = await s.SendAsync(HttpMethod.Post, "/api/locals", json: "{\"pattern\":\"postmaster@example.com\",\"type\":\"exact\"}");
        Assert.Equal(HttpStatusCode.OK, status);
        long first = JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt64();
        (status, body) = await s.SendAsync(HttpMethod.Post, "/api/locals", form: "pattern=*%40bounces.example.com&type=wildcard");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"pattern\":\"*@bounces.example.com\",\"type\":\"fnmatch\"", body);

        using (var doc = JsonDocument.Parse((await s.SendAsync(HttpMethod.Get, "/api/locals")).Body))
            Assert.Equal(2, doc.RootElement.GetArrayLength());

        (status, body) = await s.SendAsync(HttpMethod.Put, $"/api/locals/{first}", json: "{\"pattern\":\"^abuse@\",\"type\":\"regex\"}");
        Assert.Equal(HttpStatusCode.OK, status);
        long replaced = JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt64();
        Assert.NotEqual(first, replaced);
        string list = (await s.SendAsync(HttpMethod.Get, "/api/locals")).Body;
        Assert.DoesNotContain("postmaster@example.com", list);
        Assert.Contains("\"pattern\":\"^abuse@\",\"type\":\"regex\"", list);

        foreach (var (json, error) in new[]
        {
            ("{\"pattern\":\"(\",\"type\":\"regex\"}", "invalid regular expression"),
            ("{\"pattern\":\"x\",\"type\":\"global\"}", "type must be exact, regex, fnmatch (wildcard) or substr (substring)"),
            ("{\"type\":\"exact\"}", "pattern is required"),
            ("[]", "the body must be a JSON object"),
        })
        {
            (status, body) = await s.SendAsync(HttpMethod.Post, "/api/locals", json: json);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains(error, SettingsServer.Error(body));
        }
        Assert.Equal(HttpStatusCode.NotFound, (await s.SendAsync(HttpMethod.Put, $"/api/locals/{first}", json: "{\"pattern\":\"x\"}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await s.SendAsync(HttpMethod.Delete, "/api/locals/abc")).Status);

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Delete, $"/api/locals/{replaced}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await s.SendAsync(HttpMethod.Delete, $"/api/locals/{replaced}")).Status);
        Assert.Single(JsonDocument.Parse((await s.SendAsync(HttpMethod.Get, "/api/locals")).Body).RootElement.EnumerateArray());

        string audit = (await s.SendAsync(HttpMethod.Get, "/api/audit")).Body;
        Assert.Contains("\"user\":\"alice\",\"action\":\"create\",\"target\":\"local\",\"detail\":\"exact postmaster@example.com\"", audit);
        Assert.Contains("settings local address changed user=alice", s.Process.Stderr);
    }

    [Fact]
    public async Task Locals_routes_need_a_login_and_csrf_with_a_cookie()
    {
        await using var s = await SettingsServer.StartAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.SendAsync(HttpMethod.Get, "/api/locals", noAuth: true)).Status);
        using var login = await s.Http.PostAsync("/api/login", new StringContent("{\"username\":\"alice\",\"password\":\"pw\"}"));
        string cookie = login.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        string csrf = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("csrf").GetString()!;
        Assert.Equal(HttpStatusCode.Forbidden, (await s.SendAsync(HttpMethod.Post, "/api/locals", json: "{\"pattern\":\"a@b\"}", cookie: cookie)).Status);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, "/api/locals", json: "{\"pattern\":\"a@b\"}", cookie: cookie, csrf: csrf)).Status);
    }
}
