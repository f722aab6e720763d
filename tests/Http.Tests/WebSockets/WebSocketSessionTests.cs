using System.Text;
using System.Text.Json;

namespace MailerQ.Www.Http.Tests.WebSockets;

/// <summary>The session over real sockets: framing faults, close handshake, pings, commands, stats.</summary>
public sealed class WebSocketSessionTests
{
    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static TheoryData<string, byte[], int> Faults => new()
    {
        { "unmasked", ClientFrame.Build(0x1, "x"u8, masked: false), 1002 },
        { "rsv1 (no deflate negotiated)", ClientFrame.Build(0x1, "x"u8, rsv: 4), 1002 },
        { "reserved opcode 3", ClientFrame.Build(0x3, []), 1002 },
        { "reserved control opcode B", ClientFrame.Build(0xB, []), 1002 },
        { "ping over 125 bytes", ClientFrame.Build(0x9, new byte[126]), 1002 },
        { "fragmented ping", ClientFrame.Build(0x9, "a"u8, fin: false), 1002 },
        { "continuation without a start", ClientFrame.Build(0x0, "a"u8), 1002 },
        { "new message while fragmented", Concat(ClientFrame.Build(0x1, "a"u8, fin: false), ClientFrame.Build(0x1, "b"u8)), 1002 },
        { "non-minimal length", ClientFrame.Build(0x1, "a"u8, lengthForm: 16), 1002 },
        { "message over 1 MiB", ClientFrame.Build(0x2, [], declaredLength: 1024 * 1024 + 1), 1009 },
        { "fragments over 1 MiB", Concat(ClientFrame.Build(0x1, new byte[600_000], fin: false), ClientFrame.Build(0x0, new byte[600_000])), 1009 },
        { "invalid utf-8", ClientFrame.Build(0x1, [0xC0, 0x80]), 1007 },
        { "invalid utf-8 across fragments", Concat(ClientFrame.Build(0x1, [0x7B, 0xF0, 0x9D], fin: false), ClientFrame.Build(0x0, [0x41, 0x7D])), 1007 },
        { "close with one byte", ClientFrame.Build(0x8, [0x03]), 1002 },
        { "close with reserved code 1005", ClientFrame.Close(1005), 1002 },
        { "close reason not utf-8", ClientFrame.Build(0x8, [0x03, 0xE8, 0xFF]), 1007 },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_framing_fault_gets_a_close_with_its_code_and_the_connection_ends(string name, byte[] frames, int code)
    {
        _ = name;
        await using var server = WsTestServer.Start();
        using var client = await server.OpenAsync();
        await client.SendAsync(frames);
        var close = await client.ExpectCloseAsync();
        Assert.Equal(code, close.CloseCode);
        Assert.False(close.Masked);
        await WsTestServer.WaitForAsync(() => server.Server.Limiter.Current == 0, what: "the connection slot");
    }

    [Fact]
    public async Task A_valid_command_split_into_fragments_at_every_byte_is_understood()
    {
        await using var server = WsTestServer.Start();
        var command = Encoding.UTF8.GetBytes("{\"subscribe\":\"smtp\",\"peer\":\"ü€𝄞\"}");
        using var client = await server.OpenAsync();
        for (int cut = 1; cut < command.Length; cut++)
        {
            // Cuts inside ü, € and 𝄞 leave a character split across two frames.
            await client.SendAsync(Concat(ClientFrame.Build(0x1, command.AsSpan(0, cut), fin: false), ClientFrame.Build(0x0, command.AsSpan(cut))));
            Assert.Equal("""{"subscribed":"smtp"}""", await client.ReadReplyAsync());
        }
    }

    [Fact]
    public async Task A_frame_sent_one_byte_at_a_time_is_understood()
    {
        await using var server = WsTestServer.Start();
        using var client = await server.OpenAsync();
        foreach (byte b in ClientFrame.Text("""{"subscribe":"stats"}"""))
        {
            await client.SendAsync([b]);
            await Task.Delay(1);
        }
        Assert.Equal("""{"subscribed":"stats"}""", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task A_message_of_exactly_1_MiB_is_read_and_answered_not_closed()
    {
        await using var server = WsTestServer.Start();
        using var client = await server.OpenAsync();
        await client.SendAsync(ClientFrame.Build(0x1, Encoding.ASCII.GetBytes(new string(' ', 1024 * 1024))));
        Assert.Equal("""{"error":"message too long for a command"}""", await client.ReadReplyAsync());
        await client.SendAsync(ClientFrame.Build(0x2, new byte[1024 * 1024]));
        Assert.Equal("""{"error":"binary messages are not accepted"}""", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Client_close_is_echoed_and_the_server_closes_the_connection()
    {
        await using var server = WsTestServer.Start();
        using var client = await server.OpenAsync();
        await client.SendAsync(ClientFrame.Close(1000, "bye"));
        var close = await client.ExpectCloseAsync();
        Assert.Equal(1000, close.CloseCode);
        await WsTestServer.WaitForAsync(() => server.Endpoint.OpenSessions == 0 && server.Server.Limiter.Current == 0, what: "session end");
    }

    [Fact]
    public async Task An_empty_close_is_answered_with_an_empty_close()
    {
        await using var server = WsTestServer.Start();
        using var client = await server.OpenAsync();
        await client.SendAsync(ClientFrame.Build(0x8, []));
        var close = await client.ExpectCloseAsync();
        Assert.Empty(close.Payload);
    }

    [Fact]
    public async Task Ping_gets_a_pong_with_the_same_payload_even_between_fragments()
    {
        await using var server = WsTestServer.Start();
        using var client = await server.OpenAsync();
        await client.SendAsync(ClientFrame.Build(0x9, "ping-1"u8));
        var pong = await client.ReadUntilAsync(0xA);
        Assert.Equal("ping-1", pong.Text);

        await client.SendAsync(Concat(
            ClientFrame.Build(0x1, "{\"subscribe\""u8, fin: false),
            ClientFrame.Build(0x9, "ping-2"u8),
            ClientFrame.Build(0x0, ":\"stats\"}"u8)));
        Assert.Equal("ping-2", (await client.ReadUntilAsync(0xA)).Text);
        Assert.Equal("""{"subscribed":"stats"}""", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Idle_client_is_pinged_and_stays_open_while_it_answers()
    {
        await using var server = WsTestServer.Start(ws => ws.PingInterval = TimeSpan.FromMilliseconds(150));
        using var client = await server.OpenAsync();
        for (int i = 0; i < 4; i++)
        {
            var ping = await client.ReadUntilAsync(0x9, timeoutMs: 5000);
            await client.SendAsync(ClientFrame.Build(0xA, ping.Payload));
        }
        await client.SendTextAsync("""{"subscribe":"stats"}""");
        Assert.Equal("""{"subscribed":"stats"}""", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Idle_client_that_misses_two_pongs_is_closed_with_1008()
    {
        await using var server = WsTestServer.Start(ws =>
        {
            ws.PingInterval = TimeSpan.FromMilliseconds(100);
            ws.CloseTimeout = TimeSpan.FromMilliseconds(500);
        });
        using var client = await server.OpenAsync();
        var started = DateTime.UtcNow;
        var frames = new List<ServerFrame>();
        while (true)
        {
            var frame = await client.ReadFrameAsync(5000) ?? throw new IOException("closed without a Close frame");
            frames.Add(frame);
            if (frame.IsClose) break;
        }
        Assert.Equal(2, frames.Count(f => f.Opcode == 0x9));
        Assert.Equal(1008, frames[^1].CloseCode);
        Assert.Equal("pong timeout", frames[^1].CloseReason);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(250));
        // We never answer the Close: the close timeout ends the connection.
        Assert.True(await client.IsClosedByServerAsync(5000));
    }

    [Fact]
    public async Task Server_initiated_close_completes_when_the_client_answers()
    {
        await using var server = WsTestServer.Start(ws => ws.PingInterval = TimeSpan.FromMilliseconds(100));
        using var client = await server.OpenAsync();
        var close = await client.ReadUntilAsync(0x8, 5000);
        Assert.Equal(1008, close.CloseCode);
        await client.SendAsync(ClientFrame.Close(1000));
        Assert.True(await client.IsClosedByServerAsync(5000));
    }

    [Theory]
    [InlineData("not json", "malformed message")]
    [InlineData("[]", "malformed message")]
    [InlineData("{", "malformed message")]
    [InlineData("{} {}", "malformed message")]
    [InlineData("{}", "expected \\\"subscribe\\\" or \\\"unsubscribe\\\"")]
    [InlineData("{\"subscribe\":\"logs\"}", "unknown channel")]
    [InlineData("{\"subscribe\":42}", "unknown channel")]
    [InlineData("{\"subscribe\":\"smtp\",\"direction\":\"sideways\"}", "direction must be")]
    [InlineData("{\"subscribe\":\"smtp\",\"peer\":7}", "peer must be a string")]
    [InlineData("{\"subscribe\":\"stats\",\"peer\":\"x\"}", "apply to")]
    [InlineData("{\"subscribe\":\"smtp\",\"subscribe\":\"stats\"}", "duplicate field")]
    [InlineData("{\"subscribe\":\"smtp\",\"colour\":\"red\"}", "unknown field")]
    public async Task Unknown_or_malformed_commands_get_an_error_frame_and_the_connection_stays(string command, string error)
    {
        await using var server = WsTestServer.Start();
        using var client = await server.OpenAsync();
        await client.SendTextAsync(command);
        var reply = await client.ReadReplyAsync();
        Assert.StartsWith("{\"error\":", reply, StringComparison.Ordinal);
        Assert.Contains(error, reply, StringComparison.Ordinal);
        using (JsonDocument.Parse(reply)) { }
        await client.SendTextAsync("""{"subscribe":"stats"}""");
        Assert.Equal("""{"subscribed":"stats"}""", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Stats_subscribers_get_one_json_frame_per_interval_with_counters_and_drops()
    {
        await using var server = WsTestServer.Start(ws => ws.StatsInterval = TimeSpan.FromMilliseconds(200));
        using var client = await server.OpenAsync();
        await client.SendTextAsync("""{"subscribe":"stats"}""");
        var stats = new List<(DateTime At, JsonDocument Json)>();
        while (stats.Count < 3)
        {
            var frame = await client.ReadUntilAsync(0x1, 5000);
            if (frame.Text.StartsWith("{\"stats\"", StringComparison.Ordinal)) stats.Add((DateTime.UtcNow, JsonDocument.Parse(frame.Text)));
        }
        var root = stats[0].Json.RootElement;
        Assert.Equal(1, root.GetProperty("stats").GetProperty("http.connections").GetInt64());
        Assert.Equal(1, root.GetProperty("stats").GetProperty("http.websockets").GetInt64());
        Assert.Equal(7, root.GetProperty("stats").GetProperty("test.counter").GetInt64());
        Assert.Equal(0, root.GetProperty("dropped").GetInt64());
        Assert.Equal(0, root.GetProperty("droppedTotal").GetInt64());
        Assert.InRange(root.GetProperty("time").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.InRange((stats[2].At - stats[0].At).TotalMilliseconds, 200, 2000);
        foreach (var (_, json) in stats) json.Dispose();

        await client.SendTextAsync("""{"unsubscribe":"stats"}""");
        Assert.Equal("""{"unsubscribed":"stats"}""", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Shutdown_closes_websockets_with_1001()
    {
        var server = WsTestServer.Start();
        using var client = await server.OpenAsync();
        var stop = server.Server.StopAsync(TimeSpan.FromSeconds(5));
        var close = await client.ReadUntilAsync(0x8, 5000);
        Assert.Equal(1001, close.CloseCode);
        await client.SendAsync(ClientFrame.Close(1001));
        await stop;
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Websockets_count_toward_the_connection_cap()
    {
        const int limit = 3;
        await using var server = WsTestServer.Start(http: o => o.MaxConnections = limit);
        var sockets = new List<WsClient>();
        for (int i = 0; i < limit; i++) sockets.Add(await server.OpenAsync());
        await WsTestServer.WaitForAsync(() => server.Endpoint.OpenSessions == limit, what: "sessions");
        Assert.Equal(limit, server.Server.Limiter.Current);
        using (var http = await Server.RawHttpClient.ConnectAsync(server.EndPoint))
        {
            await http.SendAsync($"GET /hello HTTP/1.1\r\nHost: {server.Host}\r\n\r\n");
            Assert.Equal(503, (await http.ReadResponseAsync()).Status);
        }

        await sockets[0].SendAsync(ClientFrame.Close(1000));
        await sockets[0].ExpectCloseAsync();
        await WsTestServer.WaitForAsync(() => server.Server.Limiter.Current == limit - 1, what: "the freed slot");
        using (var http = await Server.RawHttpClient.ConnectAsync(server.EndPoint))
        {
            await http.SendAsync($"GET /hello HTTP/1.1\r\nHost: {server.Host}\r\n\r\n");
            Assert.Equal(200, (await http.ReadResponseAsync()).Status);
        }
        foreach (var s in sockets) s.Dispose();
        await WsTestServer.WaitForAsync(() => server.Server.Limiter.Current == 0, what: "all slots");
    }

    [Fact]
    public async Task A_client_that_vanishes_frees_its_slot_and_session()
    {
        await using var server = WsTestServer.Start();
        var client = await server.OpenAsync();
        await client.SendTextAsync("""{"subscribe":"smtp"}""");
        Assert.Equal("""{"subscribed":"smtp"}""", await client.ReadReplyAsync());
        Assert.Equal(1, server.Bus.SubscriberCount);
        client.Socket.LingerState = new System.Net.Sockets.LingerOption(true, 0);
        client.Dispose();
        await WsTestServer.WaitForAsync(() => server.Server.Limiter.Current == 0 && server.Endpoint.OpenSessions == 0, what: "cleanup");
        Assert.Equal(0, server.Bus.SubscriberCount);
        Assert.Equal(0, server.Bus.Pool.Outstanding);
    }

    [Fact]
    public async Task Commands_flooded_without_reading_replies_close_the_connection_with_1008()
    {
        await using var server = WsTestServer.Start(ws =>
        {
            ws.MaxPendingReplies = 8;
            ws.CloseTimeout = TimeSpan.FromMilliseconds(500);
        });
        using var client = await server.OpenAsync();
        client.Socket.ReceiveBufferSize = 1024;
        var flood = Concat(Enumerable.Range(0, 100_000).Select(_ => ClientFrame.Text("{}")).ToArray());
        try
        {
            await client.SendAsync(flood);
        }
        catch (System.Net.Sockets.SocketException)
        {
            // The server may close before it read everything.
        }
        await WsTestServer.WaitForAsync(() => server.Server.Limiter.Current == 0, timeoutMs: 20000, what: "the flooding connection to end");
    }
}
