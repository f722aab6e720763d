using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MailerQ.Www.Host.Tests.Settings;

/// <summary>
/// The DKIM key routes (CONTRACT.md "Console API"): over HTTPS they list, generate, upload and delete keys and their
/// sign patterns; over plain HTTP every one answers 403 without reading the body.
/// </summary>
public sealed class DkimApiTests
{
    private const string Create = "/api/dkim";

    [Fact]
    public async Task Every_dkim_route_on_plain_http_answers_403_and_says_why()
    {
        await using var s = await SettingsServer.StartAsync();
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/api/dkim"), (HttpMethod.Post, "/api/dkim"), (HttpMethod.Put, "/api/dkim"),
                     (HttpMethod.Delete, "/api/dkim/example.com/sel"), (HttpMethod.Post, "/api/dkim/example.com/sel/patterns"), (HttpMethod.Get, "/api/dkim/nothing") })
        {
            var (status, body) = await s.SendAsync(method, path, json: method == HttpMethod.Get ? null : "{\"domain\":\"example.com\",\"selector\":\"s\",\"generate\":true}");
            Assert.Equal(HttpStatusCode.Forbidden, status);
            using var doc = JsonDocument.Parse(body);
            Assert.Equal("https-required", doc.RootElement.GetProperty("reason").GetString());
            Assert.Contains("only managed over HTTPS", doc.RootElement.GetProperty("error").GetString());
            // HTTPS is off on this instance: nowhere to send the operator.
            Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("https").ValueKind);
        }
        Assert.Equal("[]", (await s.SendAsync(HttpMethod.Get, "/api/audit")).Body);
    }

    [Fact]
    public async Task A_plain_http_dkim_upload_is_refused_before_its_body_is_sent()
    {
        await using var s = await SettingsServer.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", s.Http.BaseAddress!.Port);
        var stream = tcp.GetStream();
        // The client waits for 100 Continue before sending the key; the server must answer 403 instead and never ask for it.
        var head = $"POST /api/dkim HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {SettingsServer.Basic}\r\nContent-Type: application/json\r\nContent-Length: 50000\r\nExpect: 100-continue\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        string answer = await ReadToCloseAsync(stream);
        Assert.StartsWith("HTTP/1.1 403 ", answer);
        Assert.DoesNotContain("100 Continue", answer);
        Assert.Contains("Connection: close", answer);
        Assert.Contains("https-required", answer);
    }

    [Fact]
    public async Task Dkim_routes_need_a_login_and_the_csrf_token_of_a_cookie_session()
    {
        await using var s = await HttpsSettingsServer.StartAsync();
        var (status, _) = await s.SendAsync(HttpMethod.Get, "/api/dkim", noAuth: true);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        (status, _) = await s.SendAsync(HttpMethod.Post, Create, json: "{\"domain\":\"example.com\",\"selector\":\"a\",\"generate\":true}", noAuth: true);
        Assert.Equal(HttpStatusCode.Unauthorized, status);

        var (cookie, csrf) = await s.LogInAsync();
        string generate = "{\"domain\":\"example.com\",\"selector\":\"a\",\"generate\":true,\"algorithm\":\"ed25519\"}";
        (status, var body) = await s.SendAsync(HttpMethod.Post, Create, json: generate, cookie: cookie);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.DoesNotContain("https-required", body);
        (status, _) = await s.SendAsync(HttpMethod.Delete, "/api/dkim/example.com/a", cookie: cookie, csrf: "wrong");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("[]", (await s.SendAsync(HttpMethod.Get, "/api/dkim", cookie: cookie)).Body);

        (status, _) = await s.SendAsync(HttpMethod.Post, Create, json: generate, cookie: cookie, csrf: csrf);
        Assert.Equal(HttpStatusCode.OK, status);
        (status, _) = await s.SendAsync(HttpMethod.Delete, "/api/dkim/example.com/a", cookie: cookie, csrf: csrf);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Generated_keys_are_listed_with_their_dns_record_and_never_the_private_key()
    {
        await using var s = await HttpsSettingsServer.StartAsync();
        var (status, body) = await s.SendAsync(HttpMethod.Post, Create, json: "{\"domain\":\"Example.COM.\",\"selector\":\"mq2025\",\"generate\":true,\"algorithm\":\"rsa-2048\",\"priority\":5,\"expire\":\"2099-12-31 23:59:59\",\"headers\":[\"List-Unsubscribe\"]}");
        Assert.Equal(HttpStatusCode.OK, status);
        (status, body) = await s.SendAsync(HttpMethod.Post, Create, json: "{\"domain\":\"example.com\",\"selector\":\"ed\",\"generate\":true,\"algorithm\":\"ed25519\"}");
        Assert.Equal(HttpStatusCode.OK, status);

        (status, body) = await s.SendAsync(HttpMethod.Get, "/api/dkim");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("PRIVATE", body);
        using var doc = JsonDocument.Parse(body);
        var keys = doc.RootElement.EnumerateArray().ToArray();
        Assert.Equal(2, keys.Length);

        var rsa = keys.Single(k => k.GetProperty("selector").GetString() == "mq2025");
        Assert.Equal("example.com", rsa.GetProperty("domain").GetString());
        Assert.Equal("rsa-sha256", rsa.GetProperty("algorithm").GetString());
        Assert.Equal(2048, rsa.GetProperty("bits").GetInt32());
        Assert.Equal(5, rsa.GetProperty("priority").GetInt32());
        Assert.Equal("2099-12-31 23:59:59", rsa.GetProperty("expire").GetString());
        Assert.Equal("[\"List-Unsubscribe\"]", rsa.GetProperty("headers").GetRawText());
        var dns = rsa.GetProperty("dns");
        Assert.Equal("mq2025._domainkey.example.com", dns.GetProperty("name").GetString());
        string publicKey = rsa.GetProperty("publicKey").GetString()!;
        Assert.Equal($"v=DKIM1; k=rsa; p={publicKey}", dns.GetProperty("text").GetString());
        Assert.Equal(dns.GetProperty("text").GetString(), string.Concat(dns.GetProperty("strings").EnumerateArray().Select(e => e.GetString())));
        Assert.All(dns.GetProperty("strings").EnumerateArray(), e => Assert.True(e.GetString()!.Length <= 255));
        using (var key = RSA.Create())
        {
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey), out _);
            Assert.Equal(2048, key.KeySize);
        }

        var ed = keys.Single(k => k.GetProperty("selector").GetString() == "ed");
        Assert.Equal("ed25519-sha256", ed.GetProperty("algorithm").GetString());
        Assert.Equal(32, Convert.FromBase64String(ed.GetProperty("publicKey").GetString()!).Length);
        Assert.StartsWith("v=DKIM1; k=ed25519; p=", ed.GetProperty("dns").GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, ed.GetProperty("expire").ValueKind);
        Assert.Equal("[]", ed.GetProperty("patterns").GetRawText());

        (status, body) = await s.SendAsync(HttpMethod.Get, "/api/dkim/example.com/ed");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"selector\":\"ed\"", body);
        Assert.Contains("settings dkim key stored user=alice domain=example.com selector=mq2025 algorithm=rsa-sha256 source=generated", s.Process.Stderr);
    }

    [Fact]
    public async Task An_uploaded_openssl_key_publishes_the_public_key_openssl_derives()
    {
        await using var s = await HttpsSettingsServer.StartAsync();
        string pem = Openssl(s.Dir, "genrsa", "-traditional", "2048");
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", pem);
        File.WriteAllText(Path.Combine(s.Dir, "upload.pem"), pem);
        string expected = Openssl(s.Dir, "rsa", "-in", "upload.pem", "-pubout");

        var (status, body) = await s.SendAsync(HttpMethod.Post, Create, json: JsonSerializerText(("domain", "mail.example.org"), ("selector", "up"), ("privateKey", pem)));
        Assert.Equal(HttpStatusCode.OK, status);
        using (var doc = JsonDocument.Parse(body))
        {
            string published = doc.RootElement.GetProperty("publicKey").GetString()!;
            Assert.Equal(Base64Of(expected), published);
            Assert.Equal("up._domainkey.mail.example.org", doc.RootElement.GetProperty("dns").GetProperty("name").GetString());
        }
        Assert.DoesNotContain("PRIVATE", body);

        // Same domain and selector again: the data refuses it.
        (status, body) = await s.SendAsync(HttpMethod.Post, Create, json: JsonSerializerText(("domain", "mail.example.org"), ("selector", "up"), ("privateKey", pem)));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("a key for mail.example.org with selector up exists", SettingsServer.Error(body));

        string weak = Openssl(s.Dir, "genrsa", "512");
        string ec = Openssl(s.Dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
        foreach (var (json, error) in new[]
        {
            (JsonSerializerText(("domain", "example.org"), ("selector", "w"), ("privateKey", weak)), "the RSA key has 512 bits; DKIM needs at least 1024 (RFC 8301)"),
            (JsonSerializerText(("domain", "example.org"), ("selector", "w"), ("privateKey", ec)), "cannot sign DKIM; use RSA or Ed25519"),
            (JsonSerializerText(("domain", "example.org"), ("selector", "w"), ("privateKey", "hello")), "the private key is not PEM"),
            (JsonSerializerText(("domain", "example.org"), ("selector", "w"), ("privateKey", expected)), "this is a public key; DKIM signing needs the private key"),
            ("{\"domain\":\"example.org\",\"selector\":\"w\"}", "privateKey (PEM) or \"generate\":true is required"),
            ("{\"domain\":\"example.org\",\"selector\":\"w\",\"generate\":true,\"privateKey\":\"x\"}", "privateKey and generate exclude each other"),
            ("{\"domain\":\"example.org\",\"selector\":\"w\",\"generate\":true,\"algorithm\":\"dsa\"}", "algorithm must be rsa-2048 or ed25519"),
            ("{\"selector\":\"w\",\"generate\":true}", "domain is required: a domain name like example.com"),
            ("{\"domain\":\"ex ample.org\",\"selector\":\"w\",\"generate\":true}", "domain is required: a domain name like example.com"),
            ("{\"domain\":\"example.org\",\"selector\":\"a/b\",\"generate\":true}", "selector is required: letters, digits and '-', dot-separated labels of at most 63 (RFC 6376 section 3.1)"),
            ("{\"domain\":\"example.org\",\"selector\":\"w\",\"generate\":true,\"headers\":[\"Bad:Name\"]}", "Bad:Name is not a header field name"),
            ("{\"domain\":\"example.org\",\"selector\":\"w\",\"generate\":true,\"expire\":\"soon\"}", "expire must be a time like 2025-01-31 23:59:59 (UTC) or Unix seconds"),
            ("{\"domain\":\"example.org\",\"selector\":\"w\",\"generate\":true,\"patterns\":[{\"pattern\":\"(\",\"type\":\"regex\"}]}", "invalid regular expression"),
            ("[1]", "the body must be a JSON object"),
        })
        {
            (status, body) = await s.SendAsync(HttpMethod.Post, Create, json: json);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains(error, SettingsServer.Error(body));
        }
        Assert.Single(JsonDocument.Parse((await s.SendAsync(HttpMethod.Get, "/api/dkim")).Body).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task Sign_patterns_are_added_and_removed_and_deleting_a_key_removes_it_with_them()
    {
        await using var s = await HttpsSettingsServer.StartAsync();
        var (status, body) = await s.SendAsync(HttpMethod.Post, Create, json:
            "{\"domain\":\"example.net\",\"selector\":\"k1\",\"generate\":true,\"algorithm\":\"ed25519\",\"patterns\":[{\"pattern\":\"*.example.net\",\"type\":\"wildcard\"}]}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"pattern\":\"*.example.net\",\"type\":\"fnmatch\"", body);

        (status, body) = await s.SendAsync(HttpMethod.Post, "/api/dkim/example.net/k1/patterns", json: "{\"pattern\":\"^news\\\\.\",\"type\":\"regex\"}");
        Assert.Equal(HttpStatusCode.OK, status);
        long id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt64();
        (status, body) = await s.SendAsync(HttpMethod.Post, "/api/dkim/example.net/k1/patterns", json: "{\"pattern\":\"[\",\"type\":\"regex\"}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        (status, _) = await s.SendAsync(HttpMethod.Post, "/api/dkim/example.net/nope/patterns", json: "{\"pattern\":\"x\",\"type\":\"exact\"}");
        Assert.Equal(HttpStatusCode.NotFound, status);

        using (var doc = JsonDocument.Parse((await s.SendAsync(HttpMethod.Get, "/api/dkim/example.net/k1")).Body))
            Assert.Equal(2, doc.RootElement.GetProperty("patterns").GetArrayLength());

        // A pattern id only deletes through the key that owns it.
        (status, _) = await s.SendAsync(HttpMethod.Delete, $"/api/dkim/example.net/other/patterns/{id}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        (status, _) = await s.SendAsync(HttpMethod.Delete, $"/api/dkim/example.net/k1/patterns/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        using (var doc = JsonDocument.Parse((await s.SendAsync(HttpMethod.Get, "/api/dkim/example.net/k1")).Body))
            Assert.Equal("*.example.net", Assert.Single(doc.RootElement.GetProperty("patterns").EnumerateArray()).GetProperty("pattern").GetString());

        (status, _) = await s.SendAsync(HttpMethod.Delete, "/api/dkim/example.net/k1");
        Assert.Equal(HttpStatusCode.OK, status);
        (status, _) = await s.SendAsync(HttpMethod.Delete, "/api/dkim/example.net/k1");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("[]", (await s.SendAsync(HttpMethod.Get, "/api/dkim")).Body);
        (status, _) = await s.SendAsync(HttpMethod.Put, "/api/dkim/example.net/k1");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);

        // Who changed what, for the panel's change log; the private key is never in it.
        string audit = (await s.SendAsync(HttpMethod.Get, "/api/audit")).Body;
        using var entries = JsonDocument.Parse(audit);
        var targets = entries.RootElement.EnumerateArray().Select(e => (e.GetProperty("user").GetString(), e.GetProperty("action").GetString(), e.GetProperty("target").GetString())).ToList();
        Assert.Contains(("alice", "create", "dkim"), targets);
        Assert.Contains(("alice", "delete", "dkimpattern"), targets);
        Assert.Contains(("alice", "delete", "dkim"), targets);
        Assert.DoesNotContain("PRIVATE", audit);
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static string JsonSerializerText(params (string Name, string Value)[] fields)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            foreach (var (n, v) in fields) w.WriteString(n, v);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Base64Of(string pem) =>
        string.Concat(pem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)).Select(l => l.Trim()));

    private static string Openssl(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = dir };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return output;
    }

    private static async Task<string> ReadToCloseAsync(NetworkStream stream)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new byte[4096];
        var text = new StringBuilder();
        int n;
        while ((n = await stream.ReadAsync(buffer, cts.Token)) > 0) text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        return text.ToString();
    }
}
