using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using MailerQ.Www.Core.Tracing;

namespace MailerQ.Www.Http.Tests.WebSockets;

/// <summary>The smtp channel over real sockets: trace frames, fan-out, filters, drops, stalls, leaks.</summary>
public sealed class WebSocketTraceTests
{
    private static byte[] Numbered(int n, int size = 64)
    {
        var bytes = new byte[size];
        BinaryPrimitives.WriteInt32BigEndian(bytes, n);
        return bytes;
    }

    private static async Task<WsClient> SubscribeAsync(WsTestServer server, string command = """{"subscribe":"smtp"}""")
    {
        var client = await server.OpenAsync();
        await client.SendTextAsync(command);
        Assert.Equal("""{"subscribed":"smtp"}""", await client.ReadReplyAsync());
        return client;
    }

    [Fact]
    public async Task Trace_frames_carry_the_header_and_the_bytes_exactly_as_published()
    {
        await using var server = WsTestServer.Start();
        using var client = await SubscribeAsync(server);
        var source = new TraceSource(server.Bus, 0x0102030405060708, "192.0.2.1", outbound: false);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        source.Received("EHLO client.example\r\n"u8);
        source.Sent(new byte[300]);

        var first = TraceFrame.Parse(await client.ReadUntilAsync(0x2));
        Assert.Equal(0x0102030405060708UL, first.SessionId);
        Assert.Equal(0, first.Direction);
        Assert.Equal(0, first.Flags);
        Assert.InRange(first.Timestamp, before - 1000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Equal("EHLO client.example\r\n", Encoding.ASCII.GetString(first.Bytes));

        var second = TraceFrame.Parse(await client.ReadUntilAsync(0x2));
        Assert.Equal(1, second.Direction);
        Assert.Equal(300, second.Bytes.Length);

        client.Dispose();
        await WsTestServer.WaitForAsync(() => server.Server.Limiter.Current == 0, what: "close");
        Assert.Equal(0, server.Bus.Pool.Outstanding);
    }

    [Fact]
    public async Task A_publish_larger_than_a_chunk_arrives_as_several_frames_marked_continued()
    {
        await using var server = WsTestServer.Start(trace: t => t.MaxChunkPayload = 1000);
        using var client = await SubscribeAsync(server);
        var data = Enumerable.Range(0, 2500).Select(i => (byte)i).ToArray();
        server.Bus.Publish(9, TraceDirection.ClientToServer, data);
        var frames = new List<TraceFrame>();
        for (int i = 0; i < 3; i++) frames.Add(TraceFrame.Parse(await client.ReadUntilAsync(0x2)));
        Assert.Equal([2, 2, 0], frames.Select(f => (int)f.Flags));
        Assert.Equal(data, frames.SelectMany(f => f.Bytes).ToArray());
    }

    [Fact]
    public async Task Many_subscribers_receive_every_chunk_in_order_and_a_stalled_one_is_closed_without_delaying_them()
    {
        const int subscribers = 50;
        const int chunks = 2000;
        await using var server = WsTestServer.Start(
            ws => ws.CloseTimeout = TimeSpan.FromMilliseconds(500),
            trace: t =>
            {
                t.StallTimeout = TimeSpan.FromSeconds(2);
                t.StallCheckInterval = TimeSpan.FromMilliseconds(100);
                // Room for every chunk of the run, so a reader slowed by a loaded CI machine is late but never
                // loses frames; the stalled subscriber still overflows its 4 MiB byte budget with the bulk below.
                t.BacklogFrames = 4096;
            });
        var readers = new List<WsClient>();
        for (int i = 0; i < subscribers; i++) readers.Add(await SubscribeAsync(server, """{"subscribe":"smtp","peer":"192.0.2.1"}"""));
        // A browser that stopped reading, subscribed to everything, with a tiny receive window.
        var stalled = await WsClient.ConnectAsync(server.EndPoint);
        stalled.Socket.ReceiveBufferSize = 4096;
        Assert.Equal(101, (await stalled.HandshakeAsync(server.Host, $"Authorization: {TestLogin.Basic}\r\n")).Status);
        await stalled.SendTextAsync("""{"subscribe":"smtp"}""");
        Assert.Equal("""{"subscribed":"smtp"}""", await stalled.ReadReplyAsync());

        var started = System.Diagnostics.Stopwatch.StartNew();
        var received = readers.Select(async client =>
        {
            var seen = new List<int>(chunks);
            while (seen.Count < chunks) seen.Add(TraceFrame.Parse(await client.ReadUntilAsync(0x2, 30000)).Sequence);
            return (seen, started.Elapsed);
        }).ToArray();

        // Far more than the stalled socket and its backlog can hold: its writer blocks, its backlog fills.
        var bulk = new byte[16 * 1024];
        for (int i = 0; i < 2048; i++) server.Bus.Publish(2, TraceDirection.ServerToClient, bulk, TraceFlags.None, "198.51.100.1");
        var publishing = System.Diagnostics.Stopwatch.StartNew();
        var payload = new byte[512];
        for (int i = 0; i < chunks; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(payload, i);
            server.Bus.Publish(1, TraceDirection.ServerToClient, payload, TraceFlags.None, "192.0.2.1");
            // 100 chunks every few milliseconds: a busy MTA's pace, well inside each backlog.
            if (i % 100 == 99) await Task.Delay(5);
        }
        publishing.Stop();

        var all = await Task.WhenAll(received);
        Assert.All(all, r => Assert.Equal(Enumerable.Range(0, chunks), r.seen));
        // The readers kept pace with the publisher although one subscriber never read a byte.
        Assert.All(all, r => Assert.True(r.Elapsed < publishing.Elapsed + TimeSpan.FromSeconds(5), $"a reader finished at {r.Elapsed}, publishing took {publishing.Elapsed}"));

        await WsTestServer.WaitForAsync(() => server.Endpoint.OpenSessions == subscribers, timeoutMs: 15000, what: "the stalled session to be closed");
        Assert.Equal(subscribers, server.Bus.SubscriberCount);
        Assert.True(await stalled.IsClosedByServerAsync(15000));
        stalled.Dispose();

        foreach (var r in readers)
        {
            await r.SendAsync(ClientFrame.Close(1000));
            await r.ExpectCloseAsync();
            r.Dispose();
        }
        await WsTestServer.WaitForAsync(() => server.Server.Limiter.Current == 0, what: "all connections to end");
        await WsTestServer.WaitForAsync(() => server.Bus.Pool.Outstanding == 0, what: "every chunk back in the pool");
    }

    [Fact]
    public async Task Dropped_chunks_are_reported_in_the_next_stats_frame()
    {
        await using var server = WsTestServer.Start(
            ws => ws.StatsInterval = TimeSpan.FromMilliseconds(100),
            trace: t =>
            {
                t.BacklogFrames = 16;
                t.StallTimeout = TimeSpan.FromSeconds(60);
            });
        using var client = await SubscribeAsync(server);
        client.Socket.ReceiveBufferSize = 4096;
        await client.SendTextAsync("""{"subscribe":"stats"}""");
        // While the client reads nothing, publish far more than socket buffers and the backlog hold.
        var payload = new byte[16 * 1024];
        // 256 × 16 KiB = 4 MiB: several times what the socket buffers and a 16-frame backlog hold.
        for (int i = 0; i < 256; i++) server.Bus.Publish(1, TraceDirection.ClientToServer, payload);
        Assert.True(server.Bus.DroppedChunks > 0);
        long total = server.Bus.DroppedChunks;

        long reported = 0;
        long reportedTotal = 0;
        while (reportedTotal < total)
        {
            var frame = await client.ReadUntilAsync(0x1, 30000);
            if (!frame.Text.StartsWith("{\"stats\"", StringComparison.Ordinal)) continue;
            using var json = JsonDocument.Parse(frame.Text);
            reported += json.RootElement.GetProperty("dropped").GetInt64();
            reportedTotal = json.RootElement.GetProperty("droppedTotal").GetInt64();
            Assert.Equal(reportedTotal, reported);
        }
        Assert.Equal(total, reportedTotal);
    }

    [Theory]
    [InlineData("""{"subscribe":"smtp","direction":"in"}""", new[] { 1, 2 })]
    [InlineData("""{"subscribe":"smtp","direction":"out"}""", new[] { 3 })]
    [InlineData("""{"subscribe":"smtp","peer":"192.0.2.2"}""", new[] { 2 })]
    [InlineData("""{"subscribe":"smtp","direction":"out","peer":"192.0.2.3"}""", new[] { 3 })]
    public async Task Filters_pick_sessions_by_direction_and_peer(string command, int[] sessions)
    {
        await using var server = WsTestServer.Start();
        using var client = await SubscribeAsync(server, command);
        new TraceSource(server.Bus, 1, "192.0.2.1", outbound: false).Received("a"u8);
        new TraceSource(server.Bus, 2, "192.0.2.2", outbound: false).Received("b"u8);
        new TraceSource(server.Bus, 3, "192.0.2.3", outbound: true).Received("c"u8);
        // A ping round trip marks the end: every frame queued before it arrived before the pong.
        await client.SendAsync(ClientFrame.Build(0x9, "sync"u8));
        var seen = new List<int>();
        while (true)
        {
            var frame = await client.ReadFrameAsync() ?? throw new IOException("closed");
            if (frame.Opcode == 0xA) break;
            if (frame.Opcode == 0x2) seen.Add((int)TraceFrame.Parse(frame).SessionId);
        }
        Assert.Equal(sessions, seen);
    }

    [Fact]
    public async Task Unsubscribing_stops_trace_frames()
    {
        await using var server = WsTestServer.Start();
        using var client = await SubscribeAsync(server);
        server.Bus.Publish(1, TraceDirection.ClientToServer, Numbered(0));
        Assert.Equal(0, TraceFrame.Parse(await client.ReadUntilAsync(0x2)).Sequence);
        await client.SendTextAsync("""{"unsubscribe":"smtp"}""");
        Assert.Equal("""{"unsubscribed":"smtp"}""", await client.ReadReplyAsync());
        Assert.Equal(0, server.Bus.SubscriberCount);
        server.Bus.Publish(1, TraceDirection.ClientToServer, Numbered(1));
        await client.SendAsync(ClientFrame.Build(0x9, "sync"u8));
        var next = await client.ReadFrameAsync();
        Assert.Equal(0xA, next!.Opcode);
        Assert.Equal(0, server.Bus.Pool.Outstanding);
    }

    [Fact]
    public async Task A_standard_client_websocket_subscribes_receives_and_closes_normally()
    {
        // System.Net.WebSockets.ClientWebSocket: an independent RFC 6455 implementation as the peer.
        await using var server = WsTestServer.Start(ws => ws.StatsInterval = TimeSpan.FromMilliseconds(100));
        using var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Authorization", TestLogin.Basic);
        await ws.ConnectAsync(new Uri($"ws://{server.Host}/ws"), CancellationToken.None);
        Assert.Null(ws.SubProtocol);

        async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveAsync()
        {
            var buffer = new byte[64 * 1024];
            int used = 0;
            while (true)
            {
                var result = await ws.ReceiveAsync(buffer.AsMemory(used), CancellationToken.None);
                used += result.Count;
                if (result.EndOfMessage) return (result.MessageType, buffer[..used]);
            }
        }

        await ws.SendAsync("""{"subscribe":"smtp"}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var ack = await ReceiveAsync();
        Assert.Equal("""{"subscribed":"smtp"}""", Encoding.UTF8.GetString(ack.Data));

        server.Bus.Publish(77, TraceDirection.ServerToClient, "250 2.0.0 OK\r\n"u8, TraceFlags.Outbound, "203.0.113.5");
        var trace = await ReceiveAsync();
        Assert.Equal(WebSocketMessageType.Binary, trace.Type);
        Assert.Equal(77UL, BinaryPrimitives.ReadUInt64BigEndian(trace.Data));
        Assert.Equal(1, trace.Data[8]);
        Assert.Equal(1, trace.Data[9]);
        Assert.Equal("250 2.0.0 OK\r\n", Encoding.ASCII.GetString(trace.Data, 20, trace.Data.Length - 20));

        await ws.SendAsync("""{"subscribe":"stats"}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        while (true)
        {
            var message = await ReceiveAsync();
            var text = Encoding.UTF8.GetString(message.Data);
            if (text.StartsWith("{\"stats\"", StringComparison.Ordinal))
            {
                using var json = JsonDocument.Parse(text);
                Assert.Equal(1, json.RootElement.GetProperty("stats").GetProperty("http.websockets").GetInt64());
                break;
            }
        }

        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        Assert.Equal(WebSocketState.Closed, ws.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, ws.CloseStatus);
        await WsTestServer.WaitForAsync(() => server.Server.Limiter.Current == 0 && server.Bus.SubscriberCount == 0, what: "cleanup");
        Assert.Equal(0, server.Bus.Pool.Outstanding);
    }
}
