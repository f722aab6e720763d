using System.Net;
using MailerQ.Www.Core.Metrics;
using MailerQ.Www.Core.Tracing;
using MailerQ.Www.Http.Parsing;
using MailerQ.Www.Http.Routing;
using MailerQ.Www.Http.WebSockets;

namespace MailerQ.Www.Http.Tests.WebSockets;

/// <summary>A real <see cref="HttpServer"/> on 127.0.0.1 with <c>/ws</c>, a trace bus and a metrics registry.</summary>
internal sealed class WsTestServer : IAsyncDisposable
{
    private WsTestServer(HttpServer server, TraceBus bus, MetricsRegistry metrics, WebSocketEndpoint endpoint)
    {
        Server = server;
        Bus = bus;
        Metrics = metrics;
        Endpoint = endpoint;
        EndPoint = server.BoundEndPoints[0];
    }

    public HttpServer Server { get; }
    public TraceBus Bus { get; }
    public MetricsRegistry Metrics { get; }
    public WebSocketEndpoint Endpoint { get; }
    public IPEndPoint EndPoint { get; }
    public string Host => $"127.0.0.1:{EndPoint.Port}";

    public static WsTestServer Start(
        Action<WebSocketOptions>? ws = null,
        Action<TraceBusOptions>? trace = null,
        Action<HttpServerOptions>? http = null)
    {
        var httpOptions = new HttpServerOptions();
        httpOptions.Endpoints.Add(new HttpEndpoint(new IPEndPoint(IPAddress.Loopback, 0)));
        http?.Invoke(httpOptions);
        var wsOptions = new WebSocketOptions();
        ws?.Invoke(wsOptions);
        var traceOptions = new TraceBusOptions { FramePrefix = WebSocketFrameWriter.TracePrefix };
        trace?.Invoke(traceOptions);

        var metrics = new MetricsRegistry();
        var bus = new TraceBus(traceOptions);
        var endpoint = new WebSocketEndpoint(wsOptions, bus, metrics, TestLogin.Authorize);
        var router = new Router();
        router.Map(HttpMethod.Get, "/ws", endpoint.HandleAsync);
        router.Map(HttpMethod.Get, "/hello", ctx =>
        {
            ctx.Response.Write("hello"u8);
            return ValueTask.CompletedTask;
        });
        var server = new HttpServer(httpOptions, ctx =>
        {
            if (router.TryMatch(ctx, out var handler, out bool otherMethod)) return handler(ctx);
            ctx.Response.SetError(otherMethod ? 405 : 404);
            return ValueTask.CompletedTask;
        });
        metrics.Observe("http.connections", () => server.Limiter.Current);
        metrics.Counter("test.counter").Add(7);
        server.Start();
        return new WsTestServer(server, bus, metrics, endpoint);
    }

    /// <summary>Connects and completes the handshake with Basic login.</summary>
    public async Task<WsClient> OpenAsync()
    {
        var client = await WsClient.ConnectAsync(EndPoint);
        var response = await client.HandshakeAsync(Host, $"Authorization: {TestLogin.Basic}\r\n");
        Assert.Equal(101, response.Status);
        return client;
    }

    public Task<WsClient> ConnectAsync() => WsClient.ConnectAsync(EndPoint);

    /// <summary>Waits for a condition that settles asynchronously on the server.</summary>
    public static async Task WaitForAsync(Func<bool> condition, int timeoutMs = 10000, string? what = null)
    {
        var until = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail($"timed out waiting for {what ?? "condition"}");
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Bus.Dispose();
    }
}
