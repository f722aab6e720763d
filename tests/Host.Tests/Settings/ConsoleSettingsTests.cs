using System.Net;
using System.Net.Http;
using System.Text.Json;

namespace MailerQ.Www.Host.Tests.Settings;

/// <summary>The console's settings routes: <c>/api/throttles</c> and <c>/api/tokens</c> (CONTRACT.md "Console API").</summary>
public sealed class ConsoleSettingsTests
{
    [Fact]
    public async Task Throttles_are_created_read_updated_resolved_and_deleted()
    {
        await using var s = await SettingsServer.StartAsync();
        Assert.Equal("[]", (await s.SendAsync(HttpMethod.Get, "/api/throttles")).Body);
        var (status, body) = await s.SendAsync(HttpMethod.Post, "/api/throttles", json:
            "{\"name\":\"gmail\",\"priority\":10,\"patterns\":[{\"mta\":\"*\",\"domain\":\"Gmail.com\"},{\"mta\":\"192.0.2.1\"}],\"domain\":{\"messagesPerMinute\":60,\"maxActive\":\"unlimited\"},\"connection\":{\"idleSeconds\":30}}");
        Assert.Equal(HttpStatusCode.OK, status);
        long id;
        using (var doc = JsonDocument.Parse(body))
        {
            id = doc.RootElement.GetProperty("id").GetInt64();
            Assert.Equal(60, doc.RootElement.GetProperty("domain").GetProperty("messagesPerMinute").GetInt32());
            Assert.Equal(0, doc.RootElement.GetProperty("domain").GetProperty("maxActive").GetInt32());
            Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("ip").GetProperty("maxActive").ValueKind);
            Assert.Equal("[{\"mta\":\"*\",\"domain\":\"gmail.com\"},{\"mta\":\"192.0.2.1\",\"domain\":\"*\"}]", doc.RootElement.GetProperty("patterns").GetRawText());
        }
        Assert.Equal($"[{body}]", (await s.SendAsync(HttpMethod.Get, "/api/throttles")).Body);

        (status, body) = await s.SendAsync(HttpMethod.Get, "/api/throttles/effective?mta=192.0.2.9&domain=gmail.com");
        Assert.Equal(HttpStatusCode.OK, status);
        using (var doc = JsonDocument.Parse(body))
        {
            var limits = doc.RootElement.GetProperty("limits");
            Assert.Equal(60, limits.GetProperty("domainMessagesPerMinute").GetProperty("value").GetInt32());
            Assert.Equal("gmail", limits.GetProperty("domainMessagesPerMinute").GetProperty("source").GetString());
            Assert.Equal(100, limits.GetProperty("connectionMaxMessages").GetProperty("value").GetInt32());
            Assert.Equal(JsonValueKind.Null, limits.GetProperty("connectionMaxMessages").GetProperty("source").ValueKind);
        }

        (status, body) = await s.SendAsync(HttpMethod.Put, $"/api/throttles/{id}", json: "{\"name\":\"gmail-slow\",\"patterns\":[{\"domain\":\"gmail.com\"}],\"domain\":{\"messagesPerMinute\":6}}");
        Assert.Equal(HttpStatusCode.OK, status);
        using (var doc = JsonDocument.Parse((await s.SendAsync(HttpMethod.Get, "/api/throttles")).Body))
        {
            var t = Assert.Single(doc.RootElement.EnumerateArray());
            Assert.Equal("gmail-slow", t.GetProperty("name").GetString());
            Assert.Equal(6, t.GetProperty("domain").GetProperty("messagesPerMinute").GetInt32());
            Assert.Equal(JsonValueKind.Null, t.GetProperty("connection").GetProperty("idleSeconds").ValueKind);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await s.SendAsync(HttpMethod.Put, "/api/throttles/999", json: "{\"name\":\"x\"}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await s.SendAsync(HttpMethod.Put, "/api/throttles/abc", json: "{\"name\":\"x\"}")).Status);

        foreach (var (json, error) in new[]
        {
            ("{}", "name is required (1 to 255 characters)"),
            ("{\"name\":\"x\",\"domain\":{\"maxActive\":-1}}", "domain.maxActive must be null (not set), 0 (unlimited) or a positive whole number"),
            ("{\"name\":\"x\",\"ip\":{\"maxIdle\":1.5}}", "ip.maxIdle must be null (not set), 0 (unlimited) or a positive whole number"),
            ("{\"name\":\"x\",\"patterns\":[{\"mta\":\"bad name!\"}]}", "pattern mta bad name! is neither an IP address nor a pool name"),
            ("{\"name\":\"x\",\"patterns\":{}}", "patterns must be an array of at most 100 {\"mta\",\"domain\"} objects"),
            ("{\"name\":\"x\",\"priority\":\"high\"}", "priority must be a whole number from -1000000 to 1000000"),
            ("not json", "malformed JSON"),
        })
        {
            (status, body) = await s.SendAsync(HttpMethod.Post, "/api/throttles", json: json);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(error, SettingsServer.Error(body));
        }

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Delete, $"/api/throttles/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await s.SendAsync(HttpMethod.Delete, $"/api/throttles/{id}")).Status);
        Assert.Equal("[]", (await s.SendAsync(HttpMethod.Get, "/api/throttles")).Body);
        Assert.Contains("settings throttle updated user=alice", s.Process.Stderr);
    }

    [Fact]
    public async Task Tokens_are_shown_once_listed_by_name_and_revoked()
    {
        await using var s = await SettingsServer.StartAsync();
        string first = await s.CreateTokenAsync("deploy-bot");
        string second = await s.CreateTokenAsync("ci.main");
        Assert.NotEqual(first, second);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", first);

        var (status, body) = await s.SendAsync(HttpMethod.Post, "/api/tokens", json: "{\"name\":\"ci.main\"}");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("a token named ci.main exists", SettingsServer.Error(body));
        Assert.Equal(HttpStatusCode.BadRequest, (await s.SendAsync(HttpMethod.Post, "/api/tokens", json: "{\"name\":\"has space\"}")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await s.SendAsync(HttpMethod.Post, "/api/tokens", json: "{}")).Status);

        (status, body) = await s.SendAsync(HttpMethod.Get, "/api/tokens");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain(first, body);
        using (var doc = JsonDocument.Parse(body))
            Assert.Equal(["ci.main", "deploy-bot"], doc.RootElement.EnumerateArray().Select(t => t.GetProperty("name").GetString()));

        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Get, "/v1/pools", auth: SettingsServer.Bearer(first))).Status);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Delete, "/api/tokens/deploy-bot")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await s.SendAsync(HttpMethod.Delete, "/api/tokens/deploy-bot")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.SendAsync(HttpMethod.Get, "/v1/pools", auth: SettingsServer.Bearer(first))).Status);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Get, "/v1/pools", auth: SettingsServer.Bearer(second))).Status);
        Assert.DoesNotContain(first, s.Process.Stderr);
        Assert.DoesNotContain(second, s.Process.Stderr);
    }

    [Fact]
    public async Task Settings_survive_a_restart()
    {
        var dir = new TempDir();
        try
        {
            string extra = $"database-address: sqlite://{dir.Path}/settings.sql\n";
            await using (var s = await SettingsServer.StartAsync(extra))
                Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(HttpMethod.Post, "/v1/pools", json: "{\"name\":\"warm\"}")).Status);
            await using (var s = await SettingsServer.StartAsync(extra))
                Assert.Equal("[{\"name\":\"warm\",\"description\":\"\"}]", (await s.SendAsync(HttpMethod.Get, "/v1/pools")).Body);
        }
        finally
        {
            dir.Dispose();
        }
    }
}
