using System.Text;

namespace MailerQ.Www.Http.Tests.Server;

public sealed class HttpServerBehaviourTests
{
    [Fact]
    public async Task Keep_alive_serves_several_requests_on_one_connection()
    {
        await using var server = TestServer.Start();
        using var client = await server.ConnectAsync();
        for (int i = 0; i < 5; i++)
        {
            await client.SendAsync(TestServer.Get("/hello"));
            var response = await client.ReadResponseAsync();
            Assert.Equal(200, response.Status);
            Assert.Equal("hello", response.BodyText);
            Assert.Null(response.Header("connection"));
            Assert.NotNull(response.Header("date"));
        }
    }

    [Fact]
    public async Task Pipelined_requests_are_answered_in_order()
    {
        await using var server = TestServer.Start();
        using var client = await server.ConnectAsync();
        var batch = new StringBuilder();
        for (int i = 0; i < 16; i++) batch.Append(TestServer.Get($"/path/{i}"));
        await client.SendAsync(batch.ToString());
        for (int i = 0; i < 16; i++)
        {
            var response = await client.ReadResponseAsync();
            Assert.Equal(200, response.Status);
            Assert.Equal($"/path/{i}", response.BodyText);
        }
    }

    [Fact]
    public async Task Head_returns_the_get_headers_without_a_body()
    {
        await using var server = TestServer.Start();
        using var client = await server.ConnectAsync();
        await client.SendAsync("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        var head = await client.ReadResponseAsync(headRequest: true);
        Assert.Equal(200, head.Status);
        Assert.Equal("5", head.Header("content-length"));
        // The next response must start right after the head: no body bytes were sent.
        await client.SendAsync(TestServer.Get("/hello"));
        var next = await client.ReadResponseAsync();
        Assert.Equal("hello", next.BodyText);
    }

    [Fact]
    public async Task Expect_100_continue_gets_the_interim_response_before_the_body_is_sent()
    {
        await using var server = TestServer.Start();
        using var client = await server.ConnectAsync();
        await client.SendAsync("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        var interim = await client.ReadResponseAsync();
        Assert.Equal(100, interim.Status);
        await client.SendAsync("abcde");
        var final = await client.ReadResponseAsync();
        Assert.Equal(200, final.Status);
        Assert.Equal("abcde", final.BodyText);
    }

    [Fact]
    public async Task Chunked_request_body_is_decoded()
    {
        await using var server = TestServer.Start();
        using var client = await server.ConnectAsync();
        await client.SendAsync("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1;ext=1\r\n \r\n6\r\nworld!\r\n0\r\nTrailer: x\r\n\r\n");
        var response = await client.ReadResponseAsync();
        Assert.Equal(200, response.Status);
        Assert.Equal("hello world!", response.BodyText);
        // Still usable afterwards.
        await client.SendAsync(TestServer.Get("/hello"));
        Assert.Equal("hello", (await client.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task Ignored_body_is_drained_and_the_connection_stays_usable()
    {
        await using var server = TestServer.Start();
        using var client = await server.ConnectAsync();
        await client.SendAsync("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789" + TestServer.Get("/hello"));
        Assert.Equal("ignored", (await client.ReadResponseAsync()).BodyText);
        Assert.Equal("hello", (await client.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task Ignored_body_that_arrived_with_its_head_gets_the_response_without_a_next_request()
    {
        // Head and body in one segment: the body bytes are buffered input, which must not count as a
        // pipelined request that defers the flush (the client would wait for the response for ever).
        await using var server = TestServer.Start();
        using var client = await server.ConnectAsync();
        await client.SendAsync("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789");
        Assert.Equal("ignored", (await client.ReadResponseAsync(timeoutMs: 3000)).BodyText);
        await client.SendAsync(TestServer.Get("/hello"));
        Assert.Equal("hello", (await client.ReadResponseAsync(timeoutMs: 3000)).BodyText);
    }

    [Theory]
    [InlineData("GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400)]
    [InlineData("GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400)]
    [InlineData("GET /hello HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\n\r\n", 400)]
    [InlineData("GET /hello HTTP/1.1\r\n Host: x\r\n\r\n", 400)]
    [InlineData("GET /hello HTTP/1.1\r\nHost: x\rY: 1\r\n\r\n", 400)]
    [InlineData("GET /hello HTTP/1.1\nHost: x\n\n", 400)]
    [InlineData("GET /he\0llo HTTP/1.1\r\nHost: x\r\n\r\n", 400)]
    [InlineData("GET /hello HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n", 400)]
    [InlineData("GET  /hello HTTP/1.1\r\nHost: x\r\n\r\n", 400)]
    [InlineData("GET /hello HTTP/2.0\r\nHost: x\r\n\r\n", 505)]
    [InlineData("GET /hello\r\n\r\n", 400)]
    [InlineData("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400)]
    [InlineData("GET /hello HTTP/1.1\r\n\r\n", 400)]
    public async Task Malformed_request_gets_its_status_and_the_connection_is_closed(string request, int status)
    {
        await using var server = TestServer.Start();
        using var client = await server.ConnectAsync();
        await client.SendAsync(request);
        var response = await client.ReadResponseAsync();
        Assert.Equal(status, response.Status);
        Assert.Equal("close", response.Header("connection"));
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Head_over_32_KiB_gets_431_and_close()
    {
        await using var server = TestServer.Start();
        using var client = await server.ConnectAsync();
        var big = new StringBuilder("GET /hello HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 40; i++) big.Append("X-Pad-").Append(i).Append(": ").Append('a', 1000).Append("\r\n");
        big.Append("\r\n");
        await client.SendAsync(big.ToString());
        var response = await client.ReadResponseAsync();
        Assert.Equal(431, response.Status);
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Request_line_over_the_limit_gets_414_or_431()
    {
        await using var server = TestServer.Start();
        using var client = await server.ConnectAsync();
        await client.SendAsync("GET /" + new string('a', 40 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        var response = await client.ReadResponseAsync();
        Assert.Contains(response.Status, new[] { 414, 431 });
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Body_over_the_limit_gets_413_and_close()
    {
        await using var server = TestServer.Start();
        using var client = await server.ConnectAsync();
        await client.SendAsync($"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: {TestServer.EchoLimit + 1}\r\n\r\n");
        var response = await client.ReadResponseAsync();
        Assert.Equal(413, response.Status);
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Chunked_body_over_the_limit_gets_413_and_close()
    {
        await using var server = TestServer.Start();
        using var client = await server.ConnectAsync();
        var chunk = new string('a', 16 * 1024);
        var body = new StringBuilder();
        for (int i = 0; i < 5; i++) body.Append("4000\r\n").Append(chunk).Append("\r\n");
        body.Append("0\r\n\r\n");
        await client.SendAsync("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
        var response = await client.ReadResponseAsync();
        Assert.Equal(413, response.Status);
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Connection_that_sends_nothing_gets_408_after_the_head_timeout()
    {
        await using var server = TestServer.Start(o => o.RequestHeadTimeout = TimeSpan.FromSeconds(1));
        using var client = await server.ConnectAsync();
        var started = DateTime.UtcNow;
        var response = await client.ReadResponseAsync();
        Assert.Equal(408, response.Status);
        Assert.InRange((DateTime.UtcNow - started).TotalSeconds, 0.9, 5);
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Incomplete_head_gets_408_within_the_default_ten_seconds()
    {
        await using var server = TestServer.Start();
        using var client = await server.ConnectAsync();
        var started = DateTime.UtcNow;
        await client.SendAsync("GET /hello HTTP/1.1\r\nHost: x\r\n");
        var response = await client.ReadResponseAsync(timeoutMs: 20000);
        Assert.Equal(408, response.Status);
        Assert.InRange((DateTime.UtcNow - started).TotalSeconds, 9.5, 12);
    }

    [Fact]
    public async Task Idle_keep_alive_connection_is_closed_after_the_keep_alive_timeout()
    {
        await using var server = TestServer.Start(o => o.KeepAliveTimeout = TimeSpan.FromSeconds(1));
        using var client = await server.ConnectAsync();
        await client.SendAsync(TestServer.Get("/hello"));
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);
        Assert.True(await client.IsClosedByServerAsync(5000));
        await server.WaitForConnectionCountAsync(0);
    }

    [Fact]
    public async Task Http10_request_closes_unless_keep_alive_is_asked()
    {
        await using var server = TestServer.Start();
        using (var client = await server.ConnectAsync())
        {
            await client.SendAsync("GET /hello HTTP/1.0\r\n\r\n");
            var response = await client.ReadResponseAsync();
            Assert.Equal("hello", response.BodyText);
            Assert.Equal("close", response.Header("connection"));
            Assert.True(await client.IsClosedByServerAsync());
        }
        using (var client = await server.ConnectAsync())
        {
            await client.SendAsync("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            var response = await client.ReadResponseAsync();
            Assert.Equal("keep-alive", response.Header("connection"));
            await client.SendAsync("GET /hello HTTP/1.0\r\n\r\n");
            Assert.Equal("hello", (await client.ReadResponseAsync()).BodyText);
        }
    }

    [Fact]
    public async Task Connection_close_request_is_answered_then_closed()
    {
        await using var server = TestServer.Start();
        using var client = await server.ConnectAsync();
        await client.SendAsync(TestServer.Get("/hello", "Connection: close\r\n"));
        var response = await client.ReadResponseAsync();
        Assert.Equal("close", response.Header("connection"));
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Unknown_route_is_404_and_wrong_method_is_405()
    {
        await using var server = TestServer.Start();
        using var client = await server.ConnectAsync();
        await client.SendAsync(TestServer.Get("/nope"));
        Assert.Equal(404, (await client.ReadResponseAsync()).Status);
        await client.SendAsync("DELETE /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal(405, (await client.ReadResponseAsync()).Status);
    }

    [Fact]
    public async Task Graceful_stop_finishes_the_in_flight_response_and_closes_idle_connections()
    {
        var server = TestServer.Start();
        using var busy = await server.ConnectAsync();
        using var idle = await server.ConnectAsync();
        await idle.SendAsync(TestServer.Get("/hello"));
        Assert.Equal(200, (await idle.ReadResponseAsync()).Status);
        await busy.SendAsync(TestServer.Get("/slow"));
        await server.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(5));

        var stop = server.Server.StopAsync(TimeSpan.FromSeconds(10));
        Assert.True(await idle.IsClosedByServerAsync());
        Assert.False(stop.IsCompleted);
        server.ReleaseSlow.SetResult();
        var response = await busy.ReadResponseAsync();
        Assert.Equal(200, response.Status);
        Assert.Equal("slow done", response.BodyText);
        Assert.Equal("close", response.Header("connection"));
        await stop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, server.Server.Limiter.Current);
        await server.DisposeAsync();
    }
}
