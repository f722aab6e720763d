using System.Net.Sockets;

namespace MailerQ.Www.Http.Tests.Server;

public sealed class ConnectionLimitTests
{
    [Fact]
    public async Task Storm_of_ten_times_the_limit_is_served_exactly_up_to_the_limit_and_the_rest_get_503()
    {
        const int limit = 8;
        await using var server = TestServer.Start(o => o.MaxConnections = limit);
        var clients = new List<RawHttpClient>();
        try
        {
            var connects = Enumerable.Range(0, limit * 10).Select(_ => server.ConnectAsync()).ToArray();
            clients.AddRange(await Task.WhenAll(connects));
            await Task.WhenAll(clients.Select(c => c.SendAsync(TestServer.Get("/hold"))));
            var reads = clients.Select(c => c.ReadResponseAsync(timeoutMs: 30000)).ToArray();

            // Everything beyond the limit is answered at once; the held ones wait for the release.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while ((reads.Count(r => r.IsCompleted) < limit * 9 || Volatile.Read(ref server.HoldEntered) < limit) && DateTime.UtcNow < deadline)
                await Task.Delay(20);
            var early = reads.Where(r => r.IsCompleted).Select(r => r.Result).ToArray();
            Assert.Equal(limit * 9, early.Length);
            Assert.All(early, r =>
            {
                Assert.Equal(503, r.Status);
                Assert.Equal("close", r.Header("connection"));
            });
            Assert.Equal(limit, Volatile.Read(ref server.HoldEntered));
            Assert.Equal(limit, server.Server.Limiter.Current);
            Assert.Equal(limit, server.Server.Limiter.Peak);

            server.ReleaseHold.SetResult();
            var all = await Task.WhenAll(reads);
            Assert.Equal(limit, all.Count(r => r.Status == 200 && r.BodyText == "held"));
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
        await server.WaitForConnectionCountAsync(0);
        Assert.Equal(limit, server.Server.Limiter.Peak);
    }

    [Fact]
    public async Task Closing_a_connection_lets_the_next_one_be_served()
    {
        await using var server = TestServer.Start(o => o.MaxConnections = 1);
        using (var first = await server.ConnectAsync())
        {
            await first.SendAsync(TestServer.Get("/hello"));
            Assert.Equal(200, (await first.ReadResponseAsync()).Status);
            using var second = await server.ConnectAsync();
            await second.SendAsync(TestServer.Get("/hello"));
            Assert.Equal(503, (await second.ReadResponseAsync()).Status);
        }
        await server.WaitForConnectionCountAsync(0);
        using var third = await server.ConnectAsync();
        await third.SendAsync(TestServer.Get("/hello"));
        Assert.Equal(200, (await third.ReadResponseAsync()).Status);
    }

    [Fact]
    public async Task Ten_thousand_connections_aborted_at_random_points_leak_no_slot()
    {
        const int limit = 32;
        await using var server = TestServer.Start(o =>
        {
            o.MaxConnections = limit;
            o.RequestHeadTimeout = TimeSpan.FromSeconds(2);
        });
        var random = new Random(12345);
        int total = 10_000;
        int next = 0;
        async Task Worker(int seed)
        {
            var rnd = new Random(seed);
            while (Interlocked.Increment(ref next) <= total)
            {
                int mode = rnd.Next(6);
                var socket = new Socket(server.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await socket.ConnectAsync(server.EndPoint);
                    var request = TestServer.Bytes(TestServer.Get("/hello"));
                    switch (mode)
                    {
                        case 0: // connect and vanish
                            break;
                        case 1: // half a head, then reset
                            await socket.SendAsync(request.AsMemory(0, rnd.Next(1, request.Length)), SocketFlags.None);
                            socket.LingerState = new LingerOption(true, 0);
                            break;
                        case 2: // a whole request, gone before the answer
                            await socket.SendAsync(request, SocketFlags.None);
                            break;
                        case 3: // a body cut short
                            await socket.SendAsync(TestServer.Bytes("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc"), SocketFlags.None);
                            break;
                        case 4: // a proper exchange
                            await socket.SendAsync(request, SocketFlags.None);
                            var buf = new byte[512];
                            await socket.ReceiveAsync(buf, SocketFlags.None);
                            break;
                        default: // garbage
                            await socket.SendAsync(TestServer.Bytes("\0\0garbage\r\n\r\n"), SocketFlags.None);
                            break;
                    }
                }
                catch (SocketException)
                {
                }
                finally
                {
                    socket.Dispose();
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => Worker(random.Next()))));
        // Half-sent heads wait for their timeout; every slot must come back.
        await server.WaitForConnectionCountAsync(0, timeoutMs: 30000);
        Assert.InRange(server.Server.Limiter.Peak, 1, limit);

        using var client = await server.ConnectAsync();
        await client.SendAsync(TestServer.Get("/hello"));
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);
    }
}
