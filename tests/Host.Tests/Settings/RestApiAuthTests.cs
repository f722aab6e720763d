using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;

namespace MailerQ.Www.Host.Tests.Settings;

/// <summary>Who may use REST API v1: Bearer tokens, console sessions with CSRF, Basic; nobody else.</summary>
public sealed class RestApiAuthTests
{
    [Fact]
    public async Task Bearer_tokens_work_until_revoked_and_bad_ones_get_401()
    {
        await using var server = await SettingsServer.StartAsync();
        string token = await server.CreateTokenAsync("ci");
        Assert.True(token.Length >= 43, "256 random bits in base64url");

        var (status, body) = await server.SendAsync(HttpMethod.Get, "/v1/pauses", auth: SettingsServer.Bearer(token));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("[]", body);
        (status, _) = await server.SendAsync(HttpMethod.Post, "/v1/pauses", json: "{\"domain\":\"example.com\"}", auth: SettingsServer.Bearer(token));
        Assert.Equal(HttpStatusCode.OK, status);

        (status, _) = await server.SendAsync(HttpMethod.Get, "/v1/pauses", auth: SettingsServer.Bearer(token + "x"));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        (status, _) = await server.SendAsync(HttpMethod.Get, "/v1/pauses", noAuth: true);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        // Tokens are for the REST API only, not the console's own API.
        (status, _) = await server.SendAsync(HttpMethod.Get, "/api/whoami", auth: SettingsServer.Bearer(token));
        Assert.Equal(HttpStatusCode.Unauthorized, status);

        (status, _) = await server.SendAsync(HttpMethod.Delete, "/api/tokens/ci");
        Assert.Equal(HttpStatusCode.OK, status);
        (status, _) = await server.SendAsync(HttpMethod.Get, "/v1/pauses", auth: SettingsServer.Bearer(token));
        Assert.Equal(HttpStatusCode.Unauthorized, status);

        Assert.Contains("settings pause added user=token:ci", server.Process.Stderr);
        Assert.Contains("auth bearer token refused", server.Process.Stderr);
        Assert.DoesNotContain(token, server.Process.Stderr);
        var (_, audit) = await server.SendAsync(HttpMethod.Get, "/api/audit");
        Assert.Contains("\"user\":\"token:ci\"", audit);
    }

    [Fact]
    public async Task Console_sessions_need_the_csrf_token_for_writes()
    {
        await using var server = await SettingsServer.StartAsync();
        using var login = await server.Http.PostAsync("/api/login", new StringContent("{\"username\":\"alice\",\"password\":\"pw\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        string cookie = login.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        using var doc = JsonDocument.Parse(await login.Content.ReadAsStringAsync());
        string csrf = doc.RootElement.GetProperty("csrf").GetString()!;

        var (status, _) = await server.SendAsync(HttpMethod.Get, "/v1/pools", cookie: cookie);
        Assert.Equal(HttpStatusCode.OK, status);
        (status, _) = await server.SendAsync(HttpMethod.Post, "/v1/pools", json: "{\"name\":\"warm\"}", cookie: cookie);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        (status, _) = await server.SendAsync(HttpMethod.Post, "/api/throttles", json: "{\"name\":\"t\"}", cookie: cookie, csrf: "wrong");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        (status, _) = await server.SendAsync(HttpMethod.Post, "/v1/pools", json: "{\"name\":\"warm\"}", cookie: cookie, csrf: csrf);
        Assert.Equal(HttpStatusCode.OK, status);
        (status, _) = await server.SendAsync(HttpMethod.Delete, "/v1/pools", json: "{\"name\":\"warm\"}", cookie: cookie, csrf: csrf);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("settings pool removed user=alice", server.Process.Stderr);
    }
}
