using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

// Usage: WsFanout <http-port> <smtp-port> <user:password> <subscribers> <stalled> <seconds> <lines-per-second>
// Publisher: one SMTP session sending NOOP lines of 510 bytes (each line and its reply are two trace
// chunks), paced to <lines-per-second>. Subscribers read binary frames and compute latency from the
// frame's timestamp (offset 12, Unix ms, docs/ws-protocol.md). Stalled subscribers subscribe and never read.
int httpPort = int.Parse(args[0]), smtpPort = int.Parse(args[1]);
string credentials = args[2];
int subscribers = int.Parse(args[3]), stalled = int.Parse(args[4]), seconds = int.Parse(args[5]), rate = int.Parse(args[6]);
string auth = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials));

async Task<ClientWebSocket> ConnectAsync()
{
    var ws = new ClientWebSocket();
    ws.Options.SetRequestHeader("Authorization", auth);
    ws.Options.KeepAliveInterval = TimeSpan.Zero;
    await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{httpPort}/ws"), CancellationToken.None);
    await ws.SendAsync("{\"subscribe\":\"smtp\"}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
    return ws;
}

var sockets = new List<ClientWebSocket>();
for (int i = 0; i < subscribers + stalled; i += 50)
    sockets.AddRange(await Task.WhenAll(Enumerable.Range(0, Math.Min(50, subscribers + stalled - i)).Select(_ => ConnectAsync())));

long delivered = 0;
var latencies = new List<long>[subscribers];
using var stop = new CancellationTokenSource();
var readers = new List<Task>();
for (int i = 0; i < subscribers; i++)
{
    int index = i;
    latencies[i] = new List<long>(seconds * rate * 2);
    readers.Add(Task.Run(async () =>
    {
        var ws = sockets[index];
        var buffer = new byte[64 * 1024];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var result = await ws.ReceiveAsync(buffer, stop.Token);
                if (result.MessageType != WebSocketMessageType.Binary || result.Count < 20) continue;
                long ts = BinaryPrimitives.ReadInt64BigEndian(buffer.AsSpan(12, 8));
                latencies[index].Add(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - ts);
                Interlocked.Increment(ref delivered);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
    }));
}
await Task.Delay(500);

using var tcp = new TcpClient();
await tcp.ConnectAsync("127.0.0.1", smtpPort);
var stream = tcp.GetStream();
var reader = new StreamReader(stream, Encoding.ASCII);
await reader.ReadLineAsync();
byte[] line = Encoding.ASCII.GetBytes("NOOP " + new string('x', 503) + "\r\n");
var clock = Stopwatch.StartNew();
long sent = 0;
while (clock.Elapsed.TotalSeconds < seconds)
{
    long due = (long)(clock.Elapsed.TotalSeconds * rate);
    while (sent < due && clock.Elapsed.TotalSeconds < seconds)
    {
        await stream.WriteAsync(line);
        await reader.ReadLineAsync();
        sent++;
    }
    await Task.Delay(1);
}
double elapsed = clock.Elapsed.TotalSeconds;
await Task.Delay(1000);
stop.Cancel();
await Task.WhenAll(readers);

var all = latencies.SelectMany(l => l).OrderBy(x => x).ToArray();
long P(double q) => all.Length == 0 ? -1 : all[Math.Min(all.Length - 1, (int)(q * all.Length))];
Console.WriteLine($"subscribers={subscribers} stalled={stalled} seconds={elapsed:F1} lines_sent={sent} publish_lines_per_s={sent / elapsed:F0} " +
    $"chunks_per_s={2 * sent / elapsed:F0} delivered_frames={delivered} delivered_per_s={delivered / elapsed:F0} " +
    $"expected_frames={2 * sent * subscribers} p50_ms={P(0.50)} p99_ms={P(0.99)} max_ms={P(1.0)}");
foreach (var ws in sockets) ws.Abort();
