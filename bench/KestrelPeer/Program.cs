// Kestrel peer for the load comparison (issue 10): the same endpoints as out/mailerq, with logging
// off and Server GC, so `bench/load.sh` can drive both with wrk at equal settings.
//   --port P            plain HTTP on 127.0.0.1:P
//   --tls-port P        HTTPS on 127.0.0.1:P (needs --cert and --key, PEM)
//   --www DIR           static files (ETag and Last-Modified from UseStaticFiles)
//   --cache-control V   Cache-Control for static files (ours: www-cache-control)
// Endpoints: GET /healthz → 200 "ok" text/plain; static files; /ws → WebSocket broadcast: every text
// message a client sends is sent to every connected client (the fan-out peer of ours' trace stream).
using System.Collections.Concurrent;
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

var sockets = new ConcurrentDictionary<WebSocket, byte>();
var broadcastGate = new SemaphoreSlim(1, 1);
app.UseWebSockets();
app.Map("/ws", async (HttpContext c) =>
{
    if (!c.WebSockets.IsWebSocketRequest) { c.Response.StatusCode = 400; return; }
    using var ws = await c.WebSockets.AcceptWebSocketAsync();
    sockets.TryAdd(ws, 0);
    var buffer = new byte[4096];
    try
    {
        while (true)
        {
            var r = await ws.ReceiveAsync(buffer, CancellationToken.None);
            if (r.MessageType == WebSocketMessageType.Close) break;
            if (!r.EndOfMessage) continue;
            var payload = buffer.AsMemory(0, r.Count);
            // Broadcast: one send per subscriber; the gate keeps sends on a socket one at a time,
            // as WebSocket requires, when several clients publish at once.
            await broadcastGate.WaitAsync();
            try
            {
                foreach (var peer in sockets.Keys)
                {
                    if (peer.State != WebSocketState.Open) continue;
                    try { await peer.SendAsync(payload, WebSocketMessageType.Text, true, CancellationToken.None); }
                    catch (WebSocketException) { }
                }
            }
            finally { broadcastGate.Release(); }
        }
    }
    catch (WebSocketException) { }
    finally { sockets.TryRemove(ws, out _); }
});

app.UseStaticFiles(new StaticFileOptions
{
    FileProvider = new PhysicalFileProvider(www),
    ServeUnknownFileTypes = true,
    OnPrepareResponse = ctx => ctx.Context.Response.Headers[HeaderNames.CacheControl] = cacheControl,
});

app.Run();
