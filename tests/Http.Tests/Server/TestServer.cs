using System.Net;
using System.Text;
using MailerQ.Www.Http.Parsing;
using MailerQ.Www.Http.Routing;

namespace MailerQ.Www.Http.Tests.Server;

/// <summary>A real <see cref="HttpServer"/> on 127.0.0.1 with a few routes the tests need.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    public HttpServer Server { get; }
    public IPEndPoint EndPoint { get; }
    public TaskCompletionSource SlowStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource ReleaseSlow { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource ReleaseHold { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public int HoldEntered;
    public const int EchoLimit = 64 * 1024;

    private TestServer(HttpServer server)
    {
        Server = server;
        EndPoint = server.BoundEndPoints[0];
    }

    public static TestServer Start(Action<HttpServerOptions>? configure = null)
    {
        var options = new HttpServerOptions();
        options.Endpoints.Add(new HttpEndpoint(new IPEndPoint(IPAddress.Loopback, 0)));
        configure?.Invoke(options);
        TestServer? self = null;
        var router = new Router();
        router.Map(HttpMethod.Get, "/hello", ctx =>
        {
            ctx.Response.SetContentType("text/plain; charset=utf-8");
            ctx.Response.Write("hello"u8);
            return ValueTask.CompletedTask;
        });
        router.MapPrefix(HttpMethod.Get, "/path/", ctx =>
        {
            ctx.Response.Write(ctx.Request.Target);
            return ValueTask.CompletedTask;
        });
        router.Map(HttpMethod.Post, "/echo", async ctx =>
        {
            var sink = new System.Buffers.ArrayBufferWriter<byte>();
            if (await ctx.ReadBodyAsync(sink, EchoLimit) != BodyReadStatus.Ok) return;
            ctx.Response.Write(sink.WrittenSpan);
        });
        router.Map(HttpMethod.Get, "/tls", ctx =>
        {
            ctx.Response.Write(ctx.IsTls ? "tls"u8 : "plain"u8);
            return ValueTask.CompletedTask;
        });
        router.Map(HttpMethod.Post, "/ignore", ctx =>
        {
            ctx.Response.Write("ignored"u8);
            return ValueTask.CompletedTask;
        });
        router.Map(HttpMethod.Get, "/slow", async ctx =>
        {
            self!.SlowStarted.TrySetResult();
            await self.ReleaseSlow.Task;
            ctx.Response.Write("slow done"u8);
        });
        router.Map(HttpMethod.Get, "/hold", async ctx =>
        {
            Interlocked.Increment(ref self!.HoldEntered);
            await self.ReleaseHold.Task;
            ctx.Response.Write("held"u8);
        });
        var server = new HttpServer(options, ctx =>
        {
            if (router.TryMatch(ctx, out var handler, out bool otherMethod)) return handler(ctx);
            ctx.Response.SetError(otherMethod ? 405 : 404);
            return ValueTask.CompletedTask;
        });
        server.Start();
        self = new TestServer(server);
        return self;
    }

    /// <summary>A server whose whole application is <paramref name="application"/>.</summary>
    public static TestServer StartWith(MailerQ.Www.Http.Routing.HttpHandler application)
    {
        var options = new HttpServerOptions();
        options.Endpoints.Add(new HttpEndpoint(new IPEndPoint(IPAddress.Loopback, 0)));
        var server = new HttpServer(options, application);
        server.Start();
        return new TestServer(server);
    }

    public Task<RawHttpClient> ConnectAsync() => RawHttpClient.ConnectAsync(EndPoint);

    public static string Get(string path, string extra = "") => $"GET {path} HTTP/1.1\r\nHost: localhost\r\n{extra}\r\n";

    public static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    public async ValueTask DisposeAsync()
    {
        ReleaseSlow.TrySetResult();
        ReleaseHold.TrySetResult();
        await Server.DisposeAsync();
    }

    /// <summary>Waits until the server's live count reaches <paramref name="expected"/> (it settles asynchronously).</summary>
    public async Task WaitForConnectionCountAsync(long expected, int timeoutMs = 10000)
    {
        var until = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (Server.Limiter.Current != expected && DateTime.UtcNow < until)
            await Task.Delay(20);
        Assert.Equal(expected, Server.Limiter.Current);
    }
}
