using System.Buffers.Binary;
using System.Net;
using System.Net.WebSockets;
using MailerQ.Www.Core.Tests.Tls;
using MailerQ.Www.Core.Tls;
using MailerQ.Www.Core.Tracing;

namespace MailerQ.Www.Http.Tests.WebSockets;

/// <summary>
/// The session's writer sends everything queued for a subscriber together: one gathered send on a plain
/// socket, one flush on TLS. Frames must still arrive whole and in order, and every chunk must go back
/// to the pool once its bytes are out.
/// </summary>
public sealed class WebSocketBatchedWriteTests(TestPki pki) : IClassFixture<TestPki>
{
    // 8 MiB of 1 KiB frames published at once, before the client reads: more than a fresh connection's
    // socket buffers take, and faster than one send per frame could go, so most wait in the backlog
    // and leave in batches. (A small receive window would force it too, but makes reading crawl.)
    private const int Chunks = 8000;

    private static void Roomy(TraceBusOptions t)
    {
        t.BacklogFrames = Chunks;
        t.BacklogBytes = 64L * 1024 * 1024;
        t.StallTimeout = TimeSpan.FromMinutes(5);
    }

    private static void PublishNumbered(TraceBus bus)
    {
        var payload = new byte[1024];
        for (int i = 0; i < Chunks; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(payload, i);
            bus.Publish(1, TraceDirection.ServerToClient, payload);
        }
    }

    [Fact]
    public async Task Frames_queued_behind_a_full_socket_leave_in_gathered_sends_in_order_and_every_chunk_returns_to_the_pool()
    {
        await using var server = WsTestServer.Start(trace: Roomy);
        var client = await WsClient.ConnectAsync(server.EndPoint);
        Assert.Equal(101, (await client.HandshakeAsync(server.Host, $"Authorization: {TestLogin.Basic}\r\n")).Status);
        await client.SendTextAsync("""{"subscribe":"smtp"}""");
        Assert.Equal("""{"subscribed":"smtp"}""", await client.ReadReplyAsync());

        PublishNumbered(server.Bus);
        for (int i = 0; i < Chunks; i++)
        {
            var frame = TraceFrame.Parse(await client.ReadUntilAsync(0x2, 30000));
            Assert.Equal(i, frame.Sequence);
            Assert.Equal(1024, frame.Bytes.Length);
        }

        await client.SendAsync(ClientFrame.Close(1000));
        await client.ExpectCloseAsync();
        client.Dispose();
        await WsTestServer.WaitForAsync(() => server.Endpoint.OpenSessions == 0, what: "the session to end");
        Assert.Equal(Chunks, server.Endpoint.TraceFramesSent);
        Assert.InRange(server.Endpoint.TraceSends, 1, Chunks - 1);
        Assert.Equal(0, server.Bus.DroppedChunks);
        Assert.Equal(0, server.Bus.Pool.Outstanding);
    }

    [Fact]
    public async Task A_resubscribed_session_keeps_receiving_trace_frames_in_order()
    {
        await using var server = WsTestServer.Start();
        using var client = await server.OpenAsync();
        var payload = new byte[64];
        for (int round = 0; round < 3; round++)
        {
            await client.SendTextAsync("""{"subscribe":"smtp"}""");
            Assert.Equal("""{"subscribed":"smtp"}""", await client.ReadReplyAsync());
            for (int i = 0; i < 100; i++)
            {
                BinaryPrimitives.WriteInt32BigEndian(payload, round * 1000 + i);
                server.Bus.Publish(1, TraceDirection.ClientToServer, payload);
            }
            for (int i = 0; i < 100; i++)
                Assert.Equal(round * 1000 + i, TraceFrame.Parse(await client.ReadUntilAsync(0x2)).Sequence);
            await client.SendTextAsync("""{"unsubscribe":"smtp"}""");
            Assert.Equal("""{"unsubscribed":"smtp"}""", await client.ReadReplyAsync());
        }
        await WsTestServer.WaitForAsync(() => server.Bus.Pool.Outstanding == 0, what: "every chunk back in the pool");
    }

    [Fact]
    public async Task Over_TLS_queued_frames_are_batched_into_one_flush_in_order_and_every_chunk_returns_to_the_pool()
    {
        var source = TlsCertificateSource.TryCreate(pki.Path("rsa-chain-no-root.pem"), pki.Path("rsa.pkcs8.key"), null, out var result);
        Assert.True(source is not null, result.Error);
        await using var server = WsTestServer.Start(trace: Roomy, http: o =>
        {
            o.Endpoints.Clear();
            o.Endpoints.Add(new HttpEndpoint(new IPEndPoint(IPAddress.Loopback, 0)) { TlsOptions = () => source.Current });
        });
        using var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Authorization", TestLogin.Basic);
        ws.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        await ws.ConnectAsync(new Uri($"wss://{server.Host}/ws"), CancellationToken.None);
        await ws.SendAsync("""{"subscribe":"smtp"}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[64 * 1024];
        var ack = await ws.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal(WebSocketMessageType.Text, ack.MessageType);

        PublishNumbered(server.Bus);
        for (int i = 0; i < Chunks; i++)
        {
            int used = 0;
            WebSocketReceiveResult message;
            do
            {
                message = await ws.ReceiveAsync(new ArraySegment<byte>(buffer, used, buffer.Length - used), CancellationToken.None);
                used += message.Count;
            }
            while (!message.EndOfMessage);
            Assert.Equal(WebSocketMessageType.Binary, message.MessageType);
            Assert.Equal(20 + 1024, used);
            Assert.Equal(i, BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(20)));
        }

        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await WsTestServer.WaitForAsync(() => server.Endpoint.OpenSessions == 0, what: "the session to end");
        Assert.Equal(Chunks, server.Endpoint.TraceFramesSent);
        Assert.InRange(server.Endpoint.TraceSends, 1, Chunks - 1);
        Assert.Equal(0, server.Bus.Pool.Outstanding);
    }
}
