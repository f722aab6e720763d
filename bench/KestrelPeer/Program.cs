// Kestrel peer for the load comparison (issue 10): the same endpoints as out/mailerq, with logging
// off and Server GC, so `bench/load.sh` can drive both with wrk at equal settings.
//   --port P            plain HTTP on 127.0.0.1:P
//   --tls-port P        HTTPS on 127.0.0.1:P (needs --cert and --key, PEM)
//   --www DIR           static files (ETag and Last-Modified from UseStaticFiles)
//   --cache-control V   Cache-Control for static files (ours: www-cache-control)
// Endpoints: GET /healthz → 200 "ok" text/plain; static files; /ws → WebSocket broadcast: every message a
// client sends is sent, as the same type, to every other connected client (the fan-out peer of ours'
// trace stream; bench/WsFanout drives both); /ws?ack also answers each message with "+" once broadcast.
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

var port = int.Parse(Arg("--port", "0"));
var tlsPort = int.Parse(Arg("--tls-port", "0"));
var www = Path.GetFullPath(Arg("--www", "."));
var cacheControl = Arg("--cache-control", "max-age=60");
var cert = Arg("--cert", "");
var key = Arg("--key", "");

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = www, WebRootPath = www });
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k =>
{
    k.AddServerHeader = true;
    if (port > 0) k.Listen(IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http1);
    if (tlsPort > 0)
    {
        var certificate = X509Certificate2.CreateFromPemFile(cert, key);
        k.Listen(IPAddress.Loopback, tlsPort, o =>
        {
            o.Protocols = HttpProtocols.Http1;
            o.UseHttps(certificate);
        });
    }
});

var app = builder.Build();
var ok = "ok"u8.ToArray();
app.MapGet("/healthz", (HttpContext c) =>
{
    c.Response.ContentType = "text/plain";
    c.Response.ContentLength = ok.Length;
    return c.Response.Body.WriteAsync(ok).AsTask();
});

// The broadcast list is copy-on-write (joins are rare, broadcasts hot), as ours keeps its subscribers.
var subscribers = Array.Empty<WebSocket>();
var plus = "+"u8.ToArray();
var subscribersGate = new object();
app.UseWebSockets();
app.Map("/ws", async (HttpContext c) =>
{
    if (!c.WebSockets.IsWebSocketRequest) { c.Response.StatusCode = 400; return; }
    // A publisher opens /ws?ack: after each broadcast it gets "+" back, as an SMTP client gets its reply
    // after its line was traced, so bench/WsFanout can pace both servers the same closed-loop way.
    bool ack = c.Request.Query.ContainsKey("ack");
    using var ws = await c.WebSockets.AcceptWebSocketAsync();
    lock (subscribersGate) subscribers = [.. subscribers, ws];
    var buffer = new byte[4096];
    var pending = new List<Task>();
    try
    {
        while (true)
        {
            var r = await ws.ReceiveAsync(buffer, CancellationToken.None);
            if (r.MessageType == WebSocketMessageType.Close) break;
            if (!r.EndOfMessage) continue;
            var payload = buffer.AsMemory(0, r.Count);
            // Broadcast to every other socket, in the received message type: all sends are started
            // at once (most complete synchronously into Kestrel's output pipe, whose transport loop
            // writes to the socket and batches what queued up), then the publisher's next message waits
            // for the slowest one, since a WebSocket allows one send at a time.
            foreach (var peer in Volatile.Read(ref subscribers))
            {
                if (peer == ws || peer.State != WebSocketState.Open) continue;
                var send = peer.SendAsync(payload, r.MessageType, true, CancellationToken.None);
                if (!send.IsCompletedSuccessfully) pending.Add(send.AsTask());
            }
            if (pending.Count > 0)
            {
                try { await Task.WhenAll(pending); }
                catch (WebSocketException) { }
                pending.Clear();
            }
            if (ack) await ws.SendAsync(plus, WebSocketMessageType.Text, true, CancellationToken.None);
        }
    }
    catch (WebSocketException) { }
    finally
    {
        lock (subscribersGate) subscribers = Array.FindAll(subscribers, s => s != ws);
    }
});

app.UseStaticFiles(new StaticFileOptions
{
    FileProvider = new PhysicalFileProvider(www),
    ServeUnknownFileTypes = true,
    OnPrepareResponse = ctx => ctx.Context.Response.Headers[HeaderNames.CacheControl] = cacheControl,
});

app.Run();
