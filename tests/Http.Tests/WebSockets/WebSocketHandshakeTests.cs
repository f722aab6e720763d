using System.Text;
using MailerQ.Www.Http.WebSockets;

namespace MailerQ.Www.Http.Tests.WebSockets;

public sealed class WebSocketHandshakeTests
{
    [Fact]
    public void Accept_key_is_the_one_of_rfc_6455_section_1_3()
    {
        Span<byte> accept = stackalloc byte[WebSocketHandshake.AcceptLength];
        WebSocketHandshake.ComputeAccept("dGhlIHNhbXBsZSBub25jZQ=="u8, accept);
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Encoding.ASCII.GetString(accept));
    }

    [Fact]
    public void Computing_the_accept_key_allocates_nothing()
    {
        Span<byte> accept = stackalloc byte[WebSocketHandshake.AcceptLength];
        WebSocketHandshake.ComputeAccept("dGhlIHNhbXBsZSBub25jZQ=="u8, accept);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) WebSocketHandshake.ComputeAccept("dGhlIHNhbXBsZSBub25jZQ=="u8, accept);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Under 1 B per operation: nothing per operation, while a one-off runtime allocation (40 B seen under
        // load in the trace bus tests) cannot fail the test.
        Assert.True(allocated < 100, $"{allocated} B for {100} operations");
    }

    [Theory]
    [InlineData("dGhlIHNhbXBsZSBub25jZQ==", true)]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA==", true)]
    [InlineData("dGhlIHNhbXBsZSBub25jZQ=", false)]     // 23 chars
    [InlineData("dGhlIHNhbXBsZSBub25jZQ===", false)]   // 25 chars
    [InlineData("dGhlIHNhbXBsZSBub25jZXg", false)]     // no padding, 23 chars
    [InlineData("dGhlIHNhbXBsZSBub25jZXh4", false)]    // 24 chars but 18 bytes
    [InlineData("dGhlIHNhbXBsZSBub25jZ!==", false)]    // not base64
    [InlineData("dGhlIHNhbXBsZSBub25j ==", false)]
    [InlineData("", false)]
    public void Key_must_be_base64_of_16_bytes(string key, bool valid) =>
        Assert.Equal(valid, WebSocketHandshake.IsValidKey(Encoding.ASCII.GetBytes(key)));

    [Theory]
    [InlineData("http://localhost:8485", "localhost:8485", false, true)]
    [InlineData("http://LOCALHOST:8485", "localhost:8485", false, true)]
    [InlineData("http://example.org", "example.org", false, true)]
    [InlineData("http://example.org", "example.org:80", false, true)]
    [InlineData("http://example.org:80", "example.org", false, true)]
    [InlineData("https://example.org", "example.org:443", true, true)]
    [InlineData("https://example.org:8443", "example.org:8443", true, true)]
    [InlineData("http://[::1]:8485", "[::1]:8485", false, true)]
    [InlineData("http://127.0.0.1:8485", "127.0.0.1:8485", false, true)]
    [InlineData("https://localhost:8485", "localhost:8485", false, false)]  // scheme differs from the connection
    [InlineData("http://localhost:8485", "localhost:8485", true, false)]
    [InlineData("http://localhost:8486", "localhost:8485", false, false)]
    [InlineData("http://localhost", "localhost:8485", false, false)]
    [InlineData("http://evil.example", "localhost:8485", false, false)]
    [InlineData("http://localhost.evil.example:8485", "localhost:8485", false, false)]
    [InlineData("http://localhost:8485/", "localhost:8485", false, false)]
    [InlineData("http://user@localhost:8485", "localhost:8485", false, false)]
    [InlineData("null", "localhost:8485", false, false)]
    [InlineData("", "localhost:8485", false, false)]
    [InlineData("http://", "localhost:8485", false, false)]
    [InlineData("http://[::1]:8485", "[::2]:8485", false, false)]
    [InlineData("http://localhost:99999", "localhost:99999", false, false)]
    public void Origin_must_name_the_host_the_request_was_sent_to(string origin, string host, bool tls, bool matches) =>
        Assert.Equal(matches, WebSocketHandshake.OriginMatchesHost(Encoding.ASCII.GetBytes(origin), Encoding.ASCII.GetBytes(host), tls));

    public static TheoryData<string, string> AcceptedRequests => new()
    {
        { "plain", "GET /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n{auth}\r\n" },
        { "case-insensitive tokens", "GET /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: WebSocket\r\nConnection: UPGRADE\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n{auth}\r\n" },
        { "connection list", "GET /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n{auth}\r\n" },
        { "upgrade list", "GET /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: h2c, websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n{auth}\r\n" },
        { "extensions offered, none taken", "GET /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n{auth}\r\n" },
        { "cookie with matching origin", "GET /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nCookie: mq_session=test-session\r\nOrigin: http://{host}\r\n\r\n" },
    };

    [Theory]
    [MemberData(nameof(AcceptedRequests))]
    public async Task Valid_upgrade_gets_101_with_the_accept_key_and_no_extension(string name, string request)
    {
        _ = name;
        await using var server = WsTestServer.Start();
        using var client = await server.ConnectAsync();
        await client.SendAsync(Encoding.ASCII.GetBytes(request.Replace("{host}", server.Host).Replace("{auth}", $"Authorization: {TestLogin.Basic}\r\n")));
        var response = await client.ReadResponseAsync();
        Assert.Equal(101, response.Status);
        Assert.Equal("HTTP/1.1 101 Switching Protocols", response.StatusLine);
        Assert.Equal("websocket", response.Header("upgrade"));
        Assert.Equal("Upgrade", response.Header("connection"));
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", response.Header("sec-websocket-accept"));
        Assert.Null(response.Header("sec-websocket-extensions"));
        Assert.Null(response.Header("sec-websocket-protocol"));
        // And the connection now speaks WebSocket.
        await client.SendTextAsync("""{"subscribe":"stats"}""");
        Assert.Equal("""{"subscribed":"stats"}""", await client.ReadReplyAsync());
    }

    public static TheoryData<string, string, int> RejectedRequests => new()
    {
        { "HTTP/1.0", "GET /ws HTTP/1.0\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n{auth}\r\n", 400 },
        { "POST", "POST /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n{auth}\r\n", 405 },
        { "HEAD", "HEAD /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n{auth}\r\n", 400 },
        { "no Upgrade", "GET /ws HTTP/1.1\r\nHost: {host}\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n{auth}\r\n", 400 },
        { "Upgrade: h2c", "GET /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: h2c\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n{auth}\r\n", 400 },
        { "no Connection upgrade", "GET /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: keep-alive\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n{auth}\r\n", 400 },
        { "no key", "GET /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n{auth}\r\n", 400 },
        { "short key", "GET /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZQ==\r\nSec-WebSocket-Version: 13\r\n{auth}\r\n", 400 },
        { "key not base64", "GET /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: not-base64-at-all-xxxx==\r\nSec-WebSocket-Version: 13\r\n{auth}\r\n", 400 },
        { "body", "GET /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nContent-Length: 2\r\n{auth}\r\nhi", 400 },
        { "version 8", "GET /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n{auth}\r\n", 426 },
        { "no version", "GET /ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n{auth}\r\n", 426 },
    };

    [Theory]
    [MemberData(nameof(RejectedRequests))]
    public async Task Invalid_upgrade_is_refused_with_an_http_status(string name, string request, int status)
    {
        _ = name;
        await using var server = WsTestServer.Start();
        using var client = await server.ConnectAsync();
        await client.SendAsync(Encoding.ASCII.GetBytes(request.Replace("{host}", server.Host).Replace("{auth}", $"Authorization: {TestLogin.Basic}\r\n")));
        var response = await client.ReadResponseAsync(head: request.StartsWith("HEAD", StringComparison.Ordinal));
        Assert.Equal(status, response.Status);
        Assert.Null(response.Header("sec-websocket-accept"));
        if (status == 426)
        {
            Assert.Equal("13", response.Header("sec-websocket-version"));
            Assert.Equal("websocket", response.Header("upgrade"));
        }
        Assert.Equal(0, server.Endpoint.OpenSessions);
    }

    [Fact]
    public async Task Without_login_even_a_plain_get_gets_401_with_a_basic_challenge()
    {
        await using var server = WsTestServer.Start();
        using var client = await server.ConnectAsync();
        await client.SendAsync(Encoding.ASCII.GetBytes($"GET /ws HTTP/1.1\r\nHost: {server.Host}\r\n\r\n"));
        var plain = await client.ReadResponseAsync();
        Assert.Equal(401, plain.Status);
        Assert.Equal("Basic realm=\"MailerQ\"", plain.Header("www-authenticate"));

        await client.SendAsync(Encoding.ASCII.GetBytes(WsClient.Upgrade(server.Host)));
        Assert.Equal(401, (await client.ReadResponseAsync()).Status);

        await client.SendAsync(Encoding.ASCII.GetBytes(WsClient.Upgrade(server.Host, "X-Requested-With: XMLHttpRequest\r\nCookie: mq_session=wrong\r\n")));
        var xhr = await client.ReadResponseAsync();
        Assert.Equal(401, xhr.Status);
        Assert.Null(xhr.Header("www-authenticate"));
    }

    [Theory]
    [InlineData("Cookie: mq_session=test-session\r\nOrigin: http://evil.example\r\n", 403)]
    [InlineData("Cookie: mq_session=test-session\r\nOrigin: https://{host}\r\n", 403)]
    [InlineData("Cookie: mq_session=test-session\r\nOrigin: http://127.0.0.1:1\r\n", 403)]
    [InlineData("Cookie: mq_session=test-session\r\nOrigin: null\r\n", 403)]
    [InlineData("Cookie: mq_session=test-session\r\n", 403)]
    [InlineData("Cookie: mq_session=test-session\r\nOrigin: http://{host}\r\n", 101)]
    [InlineData("Authorization: {basic}\r\n", 101)]
    [InlineData("Authorization: {basic}\r\nOrigin: http://{host}\r\n", 101)]
    [InlineData("Authorization: {basic}\r\nOrigin: http://evil.example\r\n", 403)]
    public async Task Cookie_login_needs_an_origin_that_matches_the_host(string headers, int status)
    {
        await using var server = WsTestServer.Start();
        using var client = await server.ConnectAsync();
        var response = await client.HandshakeAsync(server.Host, headers.Replace("{host}", server.Host).Replace("{basic}", TestLogin.Basic));
        Assert.Equal(status, response.Status);
    }
}
