using MailerQ.Www.Http.Connections;

namespace MailerQ.Www.Http.Tests.Server;

/// <summary>What <c>/metrics</c> reads from the server: responses by status class and open connections by phase.</summary>
public sealed class ServerMetricsTests
{
    [Fact]
    public async Task Responses_are_counted_by_status_class_including_parser_errors()
    {
        await using var server = TestServer.Start();
        using (var client = await server.ConnectAsync())
        {
            await client.SendAsync(TestServer.Get("/hello"));
            Assert.Equal(200, (await client.ReadResponseAsync()).Status);
            await client.SendAsync(TestServer.Get("/hello"));
            Assert.Equal(200, (await client.ReadResponseAsync()).Status);
            await client.SendAsync(TestServer.Get("/missing"));
            Assert.Equal(404, (await client.ReadResponseAsync()).Status);
        }
        using (var bad = await server.ConnectAsync())
        {
            await bad.SendAsync("GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n");
            Assert.Equal(400, (await bad.ReadResponseAsync()).Status);
        }
        Assert.Equal(2, server.Server.ResponsesOfClass(2));
        Assert.Equal(2, server.Server.ResponsesOfClass(4));
        Assert.Equal(0, server.Server.ResponsesOfClass(5));
        Assert.Equal(0, server.Server.ResponsesOfClass(9));
    }

    [Fact]
    public async Task Open_connections_are_counted_by_phase()
    {
        await using var server = TestServer.Start();
        using var client = await server.ConnectAsync();
        await client.SendAsync(TestServer.Get("/hello"));
        await client.ReadResponseAsync();
        var counts = new long[Enum.GetValues<ConnectionPhase>().Length];
        // The kept-alive connection is idle (or still finishing its write) once the response arrived.
        for (int i = 0; i < 100; i++)
        {
            Array.Clear(counts);
            server.Server.CountConnectionsByPhase(counts);
            if (counts[(int)ConnectionPhase.Idle] == 1) break;
            await Task.Delay(20);
        }
        Assert.Equal(1, counts[(int)ConnectionPhase.Idle]);
        Assert.Equal(1, counts.Sum());
    }
}
