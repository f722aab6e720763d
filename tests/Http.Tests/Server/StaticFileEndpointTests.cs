using System.Net;
using System.Security.Cryptography;
using MailerQ.Www.Http.StaticFiles;

namespace MailerQ.Www.Http.Tests.Server;

/// <summary>www-dir over real HTTP: hostile paths never reach the canary, validators, cache-control, types.</summary>
public sealed class StaticFileEndpointTests : IDisposable
{
    private const string Canary = "CANARY-6f1d2c-never-served";
    private readonly string _base = Directory.CreateTempSubdirectory("mq-static-").FullName;
    private readonly string _root;
    private readonly byte[] _large = RandomNumberGenerator.GetBytes(2 * 1024 * 1024); // over the 1 MiB in-memory limit: streamed
    private readonly byte[] _cachedLarge = RandomNumberGenerator.GetBytes(300 * 1024); // in memory, sent past the pipe

    public StaticFileEndpointTests()
    {
        _root = Path.Combine(_base, "www");
        Directory.CreateDirectory(Path.Combine(_root, "js"));
        Directory.CreateDirectory(Path.Combine(_root, "sub"));
        File.WriteAllText(Path.Combine(_root, "index.html"), "<!doctype html><title>console</title>");
        File.WriteAllText(Path.Combine(_root, "js", "app.js"), "export const x = 1;");
        File.WriteAllText(Path.Combine(_root, "style.css"), "body{}");
        File.WriteAllText(Path.Combine(_root, "sub", "index.html"), "sub index");
        File.WriteAllBytes(Path.Combine(_root, "big.bin"), _large);
        File.WriteAllBytes(Path.Combine(_root, "mid.bin"), _cachedLarge);
        File.WriteAllText(Path.Combine(_base, "secret.txt"), Canary);
        Directory.CreateDirectory(Path.Combine(_base, "outside"));
        File.WriteAllText(Path.Combine(_base, "outside", "secret.txt"), Canary);
        File.CreateSymbolicLink(Path.Combine(_root, "link.txt"), Path.Combine(_base, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "linkdir"), Path.Combine(_base, "outside"));
    }

    public void Dispose() => Directory.Delete(_base, recursive: true);

    private TestServer Start(string? cacheControl = null)
    {
        var endpoint = new StaticFileEndpoint(_root, cacheControl);
        return TestServer.StartWith(endpoint.HandleAsync);
    }

    private static async Task<RawResponse> GetAsync(TestServer server, string target, string extra = "", string method = "GET")
    {
        using var client = await server.ConnectAsync();
        await client.SendAsync($"{method} {target} HTTP/1.1\r\nHost: x\r\n{extra}\r\n");
        return await client.ReadResponseAsync(headRequest: method == "HEAD");
    }

    public static TheoryData<string> HostilePaths => new()
    {
        "/../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt", "/%2E%2e%2Fsecret.txt", "/%252e%252e/secret.txt",
        "/sub/../../secret.txt", "/sub/%2e%2e/%2e%2e/secret.txt", "/..\\secret.txt", "/%5c..%5csecret.txt", "/..%00/secret.txt",
        "/%00", "//etc/passwd", "/./secret.txt", "/%c0%ae%c0%ae/secret.txt", "/%e2%80%a4%e2%80%a4/secret.txt",
        "/link.txt", "/linkdir/secret.txt", "/linkdir/", "/" + string.Concat(Enumerable.Repeat("a/", 3000)), "/%2e%2e%5csecret.txt",
        "/.%2e/secret.txt", "/sub/..%2f..%2fsecret.txt", "/%25%32%65%25%32%65/secret.txt", "/etc/passwd", "/..;/secret.txt",
    };

    [Theory]
    [MemberData(nameof(HostilePaths))]
    public async Task Hostile_path_never_reads_outside_www_dir(string target)
    {
        await using var server = Start();
        var response = await GetAsync(server, target);
        Assert.Contains(response.Status, new[] { 400, 404 });
        Assert.DoesNotContain(Canary, response.BodyText);
    }

    [Fact]
    public async Task Root_serves_index_html_with_validators_and_content_type()
    {
        await using var server = Start();
        var response = await GetAsync(server, "/");
        Assert.Equal(200, response.Status);
        Assert.Equal("<!doctype html><title>console</title>", response.BodyText);
        Assert.StartsWith("text/html", response.Header("content-type"));
        Assert.NotNull(response.Header("etag"));
        Assert.EndsWith("GMT", response.Header("last-modified"));
        Assert.Null(response.Header("cache-control"));
        Assert.Equal("sub index", (await GetAsync(server, "/sub/")).BodyText);
    }

    [Theory]
    [InlineData("/js/app.js", "text/javascript")]
    [InlineData("/style.css", "text/css")]
    [InlineData("/big.bin", "application/octet-stream")]
    public async Task Content_type_follows_the_extension(string path, string type)
    {
        await using var server = Start();
        Assert.StartsWith(type, (await GetAsync(server, path)).Header("content-type"));
    }

    [Fact]
    public async Task Matching_if_none_match_gets_304_weakly_compared()
    {
        await using var server = Start();
        var first = await GetAsync(server, "/style.css");
        var etag = first.Header("etag")!;
        Assert.Equal(304, (await GetAsync(server, "/style.css", $"If-None-Match: {etag}\r\n")).Status);
        Assert.Equal(304, (await GetAsync(server, "/style.css", $"If-None-Match: \"zzz\", W/{etag}\r\n")).Status);
        Assert.Equal(304, (await GetAsync(server, "/style.css", "If-None-Match: *\r\n")).Status);
        var miss = await GetAsync(server, "/style.css", "If-None-Match: \"other\"\r\n");
        Assert.Equal(200, miss.Status);
        Assert.Equal("body{}", miss.BodyText);
        Assert.Equal(304, (await GetAsync(server, "/style.css", $"If-Modified-Since: {first.Header("last-modified")}\r\n")).Status);
    }

    [Fact]
    public async Task Changed_file_gets_a_new_etag_and_content()
    {
        await using var server = Start();
        var before = await GetAsync(server, "/js/app.js");
        File.WriteAllText(Path.Combine(_root, "js", "app.js"), "export const x = 22;");
        File.SetLastWriteTimeUtc(Path.Combine(_root, "js", "app.js"), DateTime.UtcNow.AddMinutes(1));
        var until = DateTime.UtcNow.AddSeconds(10);
        RawResponse after;
        do
        {
            after = await GetAsync(server, "/js/app.js");
            if (after.BodyText.Contains("22", StringComparison.Ordinal)) break;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < until);
        Assert.Equal("export const x = 22;", after.BodyText);
        Assert.NotEqual(before.Header("etag"), after.Header("etag"));
    }

    [Fact]
    public async Task Cache_control_is_sent_only_when_configured()
    {
        await using (var server = Start("public, max-age=60"))
            Assert.Equal("public, max-age=60", (await GetAsync(server, "/style.css")).Header("cache-control"));
        await using (var server = Start())
            Assert.Null((await GetAsync(server, "/style.css")).Header("cache-control"));
    }

    [Fact]
    public async Task Large_file_is_streamed_whole_and_head_sends_no_body()
    {
        await using var server = Start();
        var response = await GetAsync(server, "/big.bin");
        Assert.Equal(200, response.Status);
        Assert.Equal(_large, response.Body);
        using var client = await server.ConnectAsync();
        await client.SendAsync("HEAD /big.bin HTTP/1.1\r\nHost: x\r\n\r\nGET /style.css HTTP/1.1\r\nHost: x\r\n\r\n");
        var head = await client.ReadResponseAsync(headRequest: true);
        Assert.Equal(_large.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), head.Header("content-length"));
        Assert.Equal("body{}", (await client.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task Large_cached_file_arrives_whole_and_in_order_between_pipelined_responses()
    {
        await using var server = Start();
        using var client = await server.ConnectAsync();
        await client.SendAsync("GET /style.css HTTP/1.1\r\nHost: x\r\n\r\nGET /mid.bin HTTP/1.1\r\nHost: x\r\n\r\n" +
            "HEAD /mid.bin HTTP/1.1\r\nHost: x\r\n\r\nGET /mid.bin HTTP/1.1\r\nHost: x\r\n\r\nGET /style.css HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("body{}", (await client.ReadResponseAsync()).BodyText);
        var first = await client.ReadResponseAsync();
        Assert.Equal(200, first.Status);
        Assert.Equal(_cachedLarge, first.Body);
        var head = await client.ReadResponseAsync(headRequest: true);
        Assert.Equal(_cachedLarge.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), head.Header("content-length"));
        Assert.NotNull(head.Header("etag"));
        Assert.Equal(_cachedLarge, (await client.ReadResponseAsync()).Body);
        Assert.Equal("body{}", (await client.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task Post_to_a_static_path_is_405_and_missing_file_404()
    {
        await using var server = Start();
        var post = await GetAsync(server, "/style.css", "Content-Length: 0\r\n", "POST");
        Assert.Equal(405, post.Status);
        Assert.Equal("GET, HEAD", post.Header("allow"));
        Assert.Equal(404, (await GetAsync(server, "/nope.html")).Status);
    }
}
