using System.Net;
using System.Net.Http;
using System.Text.Json;

namespace MailerQ.Www.Host.Tests.Settings;

/// <summary>
/// MailerQ's REST API v1 through the real program (5.13/rest-api-v1*.md): each endpoint's documented requests,
/// JSON and form bodies, DELETE with a body, and the 400 answers for conflicting or invalid fields.
/// </summary>
public sealed class RestApiV1Tests
{
    private static HttpMethod Get => HttpMethod.Get;
    private static HttpMethod Post => HttpMethod.Post;
    private static HttpMethod Delete => HttpMethod.Delete;

    [Fact]
    public async Task Pauses_are_created_listed_and_deleted_with_json_or_form_bodies()
    {
        await using var s = await SettingsServer.StartAsync();
        var (status, body) = await s.SendAsync(Post, "/v1/pauses", json: "{\"mta\":\"192.0.2.1\",\"domain\":\"Example.com\",\"tag\":\"news\",\"cluster\":true,\"expire\":\"2030-01-02 03:04:05\"}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("{\"mta\":\"192.0.2.1\",\"domain\":\"example.com\",\"tag\":\"news\",\"cluster\":true,\"expire\":\"2030-01-02 03:04:05\"}", body);
        (status, _) = await s.SendAsync(Post, "/v1/pauses", form: "pool=warm&ip=198.51.100.7&cluster=0");
        Assert.Equal(HttpStatusCode.OK, status);
        (status, body) = await s.SendAsync(Get, "/v1/pauses");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("[{\"mta\":\"192.0.2.1\",\"domain\":\"example.com\",\"tag\":\"news\",\"cluster\":true,\"expire\":\"2030-01-02 03:04:05\"},"
            + "{\"pool\":\"warm\",\"ip\":\"198.51.100.7\",\"cluster\":false}]", body);

        (status, body) = await s.SendAsync(Delete, "/v1/pauses", form: "mta=192.0.2.1&domain=example.com&tag=news");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("{\"deleted\":1}", body);
        (status, _) = await s.SendAsync(Delete, "/v1/pauses", json: "{\"mta\":\"192.0.2.1\",\"domain\":\"example.com\",\"tag\":\"news\"}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        (status, _) = await s.SendAsync(Delete, "/v1/pauses", json: "{\"pool\":\"warm\",\"ip\":\"198.51.100.7\"}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("[]", (await s.SendAsync(Get, "/v1/pauses")).Body);
    }

    [Theory]
    [InlineData("{\"mta\":\"192.0.2.1\",\"pool\":\"warm\"}", "mta and pool exclude each other")]
    [InlineData("{\"domain\":\"example.com\",\"ip\":\"198.51.100.7\"}", "domain and ip exclude each other")]
    [InlineData("{\"mta\":\"not-an-ip\"}", "mta must be an IP address")]
    [InlineData("{\"ip\":\"10.1\"}", "ip must be an IP address")]
    [InlineData("{\"domain\":\"example.com\",\"expire\":\"soon\"}", "expire must be a time like 2025-01-31 23:59:59 (UTC) or Unix seconds")]
    [InlineData("{\"domain\":\"example.com\",\"cluster\":\"maybe\"}", "cluster must be true or false")]
    [InlineData("{\"domain\":{\"name\":\"example.com\"}}", "field domain must be a string, number or boolean")]
    [InlineData("[1]", "the body must be a JSON object")]
    [InlineData("{\"domain\":", "malformed JSON")]
    [InlineData("", "the body must be a JSON object or a form")]
    public async Task Pause_requests_with_conflicting_or_invalid_fields_get_400(string json, string error)
    {
        await using var s = await SettingsServer.StartAsync();
        foreach (var method in new[] { Post, Delete })
        {
            if (method == Delete && error.StartsWith("expire", StringComparison.Ordinal)) continue;
            if (method == Delete && error.StartsWith("cluster", StringComparison.Ordinal)) continue;
            var (status, body) = await s.SendAsync(method, "/v1/pauses", json: json);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(error, SettingsServer.Error(body));
        }
        var (formStatus, formBody) = await s.SendAsync(Post, "/v1/pauses", form: "mta=192.0.2.1&pool=warm");
        Assert.Equal(HttpStatusCode.BadRequest, formStatus);
        Assert.Equal("mta and pool exclude each other", SettingsServer.Error(formBody));
        Assert.Equal("[]", (await s.SendAsync(Get, "/v1/pauses")).Body);
    }

    [Fact]
    public async Task Forced_errors_need_a_code_from_200_to_599()
    {
        await using var s = await SettingsServer.StartAsync();
        foreach (var (json, error) in new[]
        {
            ("{\"domain\":\"example.com\"}", "code is required (200 to 599)"),
            ("{\"code\":600}", "code must be a whole number from 200 to 599"),
            ("{\"code\":199}", "code must be a whole number from 200 to 599"),
            ("{\"code\":\"abc\"}", "code must be a whole number from 200 to 599"),
            ("{\"code\":550,\"extended\":\"5.7\"}", "extended must be an enhanced status code like 5.7.1"),
            ("{\"code\":550,\"mta\":\"192.0.2.1\",\"pool\":\"warm\"}", "mta and pool exclude each other"),
            ("{\"code\":550,\"domain\":\"example.com\",\"ip\":\"198.51.100.7\"}", "domain and ip exclude each other"),
        })
        {
            var (status, body) = await s.SendAsync(Post, "/v1/errors", json: json);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(error, SettingsServer.Error(body));
        }

        var (ok, created) = await s.SendAsync(Post, "/v1/errors", json: "{\"code\":550,\"extended\":\"5.7.1\",\"description\":\"blocked for testing\",\"pool\":\"warm\",\"domain\":\"example.com\"}");
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal("{\"code\":550,\"extended\":\"5.7.1\",\"description\":\"blocked for testing\",\"pool\":\"warm\",\"domain\":\"example.com\",\"cluster\":false}", created);
        (ok, _) = await s.SendAsync(Post, "/v1/errors", form: "code=421&tag=bulk&cluster=true&description=try+later");
        Assert.Equal(HttpStatusCode.OK, ok);
        var (_, list) = await s.SendAsync(Get, "/v1/errors");
        using (var doc = JsonDocument.Parse(list))
        {
            Assert.Equal(2, doc.RootElement.GetArrayLength());
            Assert.Equal("try later", doc.RootElement[1].GetProperty("description").GetString());
            Assert.True(doc.RootElement[1].GetProperty("cluster").GetBoolean());
        }

        // DELETE names the item by the same fields; the code is not needed.
        var (deleted, _) = await s.SendAsync(Delete, "/v1/errors", json: "{\"pool\":\"warm\",\"domain\":\"example.com\"}");
        Assert.Equal(HttpStatusCode.OK, deleted);
        (deleted, _) = await s.SendAsync(Delete, "/v1/errors", form: "tag=bulk");
        Assert.Equal(HttpStatusCode.OK, deleted);
        (deleted, _) = await s.SendAsync(Delete, "/v1/errors", form: "tag=bulk");
        Assert.Equal(HttpStatusCode.NotFound, deleted);
        Assert.Equal("[]", (await s.SendAsync(Get, "/v1/errors")).Body);
    }

    [Fact]
    public async Task Pools_and_their_ips_keep_an_ip_in_one_pool()
    {
        await using var s = await SettingsServer.StartAsync();
        Assert.Equal("name is required", SettingsServer.Error((await s.SendAsync(Post, "/v1/pools", json: "{\"description\":\"x\"}")).Body));
        Assert.Equal(HttpStatusCode.BadRequest, (await s.SendAsync(Post, "/v1/pools", json: "{\"name\":\"bad name\"}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(Post, "/v1/pools", json: "{\"name\":\"warm\",\"description\":\"warming up\"}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(Post, "/v1/pools", form: "name=cold")).Status);
        Assert.Equal("[{\"name\":\"cold\",\"description\":\"\"},{\"name\":\"warm\",\"description\":\"warming up\"}]", (await s.SendAsync(Get, "/v1/pools")).Body);

        Assert.Equal("ip and name are required", SettingsServer.Error((await s.SendAsync(Post, "/v1/poolips", json: "{\"ip\":\"192.0.2.1\"}")).Body));
        Assert.Equal("ip must be an IP address", SettingsServer.Error((await s.SendAsync(Post, "/v1/poolips", json: "{\"ip\":\"x\",\"name\":\"warm\"}")).Body));
        var (missing, missingBody) = await s.SendAsync(Post, "/v1/poolips", json: "{\"ip\":\"192.0.2.1\",\"name\":\"nope\"}");
        Assert.Equal(HttpStatusCode.Conflict, missing);
        Assert.Equal("pool nope does not exist", SettingsServer.Error(missingBody));
        var (added, addedBody) = await s.SendAsync(Post, "/v1/poolips", json: "{\"ip\":\"192.0.2.1\",\"name\":\"warm\"}");
        Assert.Equal(HttpStatusCode.OK, added);
        Assert.Equal("{\"ip\":\"192.0.2.1\",\"name\":\"warm\"}", addedBody);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(Post, "/v1/poolips", form: "ip=192.0.2.2&name=warm")).Status);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(Post, "/v1/poolips", form: "ip=192.0.2.3&name=cold")).Status);
        var (taken, takenBody) = await s.SendAsync(Post, "/v1/poolips", json: "{\"ip\":\"192.0.2.1\",\"name\":\"cold\"}");
        Assert.Equal(HttpStatusCode.Conflict, taken);
        Assert.Equal("192.0.2.1 is already in pool warm", SettingsServer.Error(takenBody));

        Assert.Equal("[{\"ip\":\"192.0.2.1\",\"name\":\"warm\"},{\"ip\":\"192.0.2.2\",\"name\":\"warm\"}]", (await s.SendAsync(Get, "/v1/poolips?name=warm")).Body);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(Delete, "/v1/poolips", form: "ip=192.0.2.2&name=warm")).Status);
        Assert.Equal("[{\"ip\":\"192.0.2.1\",\"name\":\"warm\"}]", (await s.SendAsync(Get, "/v1/poolips?name=warm")).Body);

        // Deleting a pool removes its IPs (UG/ip-pools.md).
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(Delete, "/v1/pools", json: "{\"name\":\"warm\"}")).Status);
        Assert.Equal("[]", (await s.SendAsync(Get, "/v1/poolips?name=warm")).Body);
        Assert.Equal("[{\"ip\":\"192.0.2.3\",\"name\":\"cold\"}]", (await s.SendAsync(Get, "/v1/poolips")).Body);
        Assert.Equal(HttpStatusCode.NotFound, (await s.SendAsync(Delete, "/v1/pools", json: "{\"name\":\"warm\"}")).Status);
        Assert.Equal("name is required", SettingsServer.Error((await s.SendAsync(Delete, "/v1/pools", json: "{}")).Body));
    }

    [Fact]
    public async Task Suppressions_take_an_address_or_a_domain_and_delete_by_value()
    {
        await using var s = await SettingsServer.StartAsync();
        foreach (var (json, error) in new[]
        {
            ("{\"value\":\"a@example.com\"}", "type must be address or domain"),
            ("{\"type\":\"address\"}", "value is required"),
            ("{\"type\":\"address\",\"value\":\"example.com\"}", "an address needs an @"),
            ("{\"type\":\"domain\",\"value\":\"a@example.com\"}", "a domain has no @"),
            ("{\"type\":\"domain\",\"value\":\"example.com\",\"code\":99}", "code must be a whole number from 200 to 599"),
        })
        {
            var (status, body) = await s.SendAsync(Post, "/v1/suppressions", json: json);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(error, SettingsServer.Error(body));
        }
        var (ok, created) = await s.SendAsync(Post, "/v1/suppressions", json: "{\"type\":\"address\",\"value\":\"Bounce@Example.com\",\"code\":550,\"extended\":\"5.1.1\",\"description\":\"hard bounce\"}");
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal("{\"type\":\"address\",\"value\":\"bounce@example.com\",\"code\":550,\"extended\":\"5.1.1\",\"description\":\"hard bounce\"}", created);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(Post, "/v1/suppressions", form: "type=domain&value=trap.example")).Status);
        Assert.Equal("[{\"type\":\"address\",\"value\":\"bounce@example.com\",\"code\":550,\"extended\":\"5.1.1\",\"description\":\"hard bounce\"},{\"type\":\"domain\",\"value\":\"trap.example\"}]",
            (await s.SendAsync(Get, "/v1/suppressions")).Body);

        Assert.Equal("value is required", SettingsServer.Error((await s.SendAsync(Delete, "/v1/suppressions", json: "{\"type\":\"domain\"}")).Body));
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(Delete, "/v1/suppressions", form: "value=trap.example")).Status);
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(Delete, "/v1/suppressions", json: "{\"value\":\"BOUNCE@example.com\"}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await s.SendAsync(Delete, "/v1/suppressions", json: "{\"value\":\"bounce@example.com\"}")).Status);
        Assert.Equal("[]", (await s.SendAsync(Get, "/v1/suppressions")).Body);
    }

    [Fact]
    public async Task Inject_validates_the_message_and_queues_good_ones_in_the_outbox()
    {
        await using var s = await SettingsServer.StartAsync();
        foreach (var (json, error) in new[]
        {
            ("[]", "the body must be a JSON object"),
            ("\"x\"", "the body must be a JSON object"),
            ("{\"recipient\":", "malformed JSON"),
            ("{\"mime\":\"Subject: x\\r\\n\\r\\nhi\"}", "recipient is required"),
            ("{\"recipient\":42,\"mime\":\"x\"}", "recipient is required"),
            ("{\"recipient\":\"a@example.com\"}", "mime or key is required"),
            ("{\"recipient\":\"a@example.com\",\"mime\":42}", "mime or key is required"),
            ("{\"recipient\":\"a@example.com\",\"key\":\"\"}", "mime or key is required"),
        })
        {
            var (status, body) = await s.SendAsync(Post, "/v1/inject", json: json);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(error, SettingsServer.Error(body));
        }
        var (formStatus, formBody) = await s.SendAsync(Post, "/v1/inject", form: "recipient=a%40example.com&mime=x");
        Assert.Equal(HttpStatusCode.BadRequest, formStatus);
        Assert.Equal("inject takes a JSON body", SettingsServer.Error(formBody));

        var (okStatus, okBody) = await s.SendAsync(Post, "/v1/inject", json: "{\"envelope\":\"me@example.com\",\"recipient\":\"a@example.com\",\"mime\":\"Subject: x\\r\\n\\r\\nhi\"}");
        Assert.Equal(HttpStatusCode.OK, okStatus);
        Assert.Matches("^\\{\"message-id\":\"[0-9a-f]{32}\"\\}$", okBody);
        var (keyStatus, _) = await s.SendAsync(Post, "/v1/inject", json: "{\"recipient\":\"a@example.com\",\"key\":\"stored-1\"}");
        Assert.Equal(HttpStatusCode.OK, keyStatus);
        // MailerQ's "responsive" mime object needs its template renderer, which this MTA does not have.
        var (objectStatus, objectBody) = await s.SendAsync(Post, "/v1/inject", json: "{\"recipient\":\"a@example.com\",\"mime\":{\"from\":\"me@example.com\",\"subject\":\"x\",\"text\":\"hi\"}}");
        Assert.Equal(HttpStatusCode.BadRequest, objectStatus);
        Assert.Equal("mime must be a string holding the RFC 5322 message", SettingsServer.Error(objectBody));
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.SendAsync(Post, "/v1/inject", json: "{}", noAuth: true)).Status);
    }
}
