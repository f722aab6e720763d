using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

// Load client for the trace fan-out (issue 6) and its Kestrel comparison (issue 10).
//   ours    <http-port> <smtp-port> <user:password> <subscribers> <stalled> <seconds> <chunks-per-second> [server-pid]
//   kestrel <port> <subscribers> <seconds> <chunks-per-second> [server-pid]
// Subscribers are raw-socket websockets (RawWebSocket/FrameCounter: 64 KiB reads, every frame in a read
// parsed in place). Latency = arrival − the Unix-ms timestamp at payload offset 12.
// Publisher, ours: SMTP_SESSIONS (4) SMTP sessions sending 510-byte NOOP lines, each answered before the
// next, paced to chunks/2 lines per second in all; every line and its reply are one trace chunk each.
// Each session's greeting, QUIT and 221 are chunks too and counted as published.
// Publisher, Kestrel: SMTP_SESSIONS websockets (/ws?ack) sending binary messages in the trace layout
// (20-byte header with the timestamp, then 510 bytes or the reply's 14 bytes) in pairs, each pair
// answered by two acks before the next, paced to chunks/2 pairs per second in all; the peer broadcasts
// each to every other socket. Stalled subscribers (ours only) subscribe with a 4 KiB receive
// buffer and never read. With a server PID, the server's CPU seconds during the run are printed too.
string mode = args.Length > 0 ? args[0] : "";
if (mode is not ("ours" or "kestrel"))
{
    Console.Error.WriteLine("usage: ours HTTP SMTP USER:PW SUBSCRIBERS STALLED SECONDS CHUNKS/S [PID] | kestrel PORT SUBSCRIBERS SECONDS CHUNKS/S [PID]");
    return 2;
}
bool ours = mode == "ours";
int httpPort = int.Parse(args[1]);
int smtpPort = ours ? int.Parse(args[2]) : 0;
string? auth = ours ? "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(args[3])) : null;
int at = ours ? 4 : 2;
int subscribers = int.Parse(args[at]);
int stalled = ours ? int.Parse(args[at + 1]) : 0;
if (ours) at++;
int seconds = int.Parse(args[at + 1]);
int rate = int.Parse(args[at + 2]);
int serverPid = args.Length > at + 3 ? int.Parse(args[at + 3]) : 0;

var subscribe = "{\"subscribe\":\"smtp\"}"u8.ToArray();
async Task<RawWebSocket> OpenAsync(int receiveBuffer)
{
    var ws = await RawWebSocket.ConnectAsync(httpPort, auth, receiveBuffer);
    // The Kestrel peer broadcasts whatever a client sends, so its subscribers send nothing.
    if (ours) await ws.SendAsync(1, subscribe);
    return ws;
}

var readers = new List<RawWebSocket>();
for (int i = 0; i < subscribers; i += 50)
    readers.AddRange(await Task.WhenAll(Enumerable.Range(0, Math.Min(50, subscribers - i)).Select(_ => OpenAsync(0))));
var stalledSockets = new List<RawWebSocket>();
for (int i = 0; i < stalled; i += 50)
    stalledSockets.AddRange(await Task.WhenAll(Enumerable.Range(0, Math.Min(50, stalled - i)).Select(_ => OpenAsync(4096))));

using var stop = new CancellationTokenSource();
var counters = readers.Select(r => new FrameCounter(r)).ToArray();
var loops = counters.Select(c => Task.Run(() => c.RunAsync(stop.Token))).ToArray();
// Subscriptions settle (acks read) before the clock starts.
await Task.Delay(1000);

double cpuBefore = ServerCpuSeconds(serverPid);
var clock = Stopwatch.StartNew();
long published = ours ? await PublishSmtpAsync() : await PublishWebSocketAsync();
double elapsed = clock.Elapsed.TotalSeconds;
await Task.Delay(1000);
double cpu = ServerCpuSeconds(serverPid) - cpuBefore;
stop.Cancel();
foreach (var r in readers) r.Dispose();
await Task.WhenAll(loops);

long delivered = counters.Sum(c => c.Frames);
long reads = counters.Sum(c => c.Reads);
var histograms = counters.Select(c => c.Latency).ToArray();
Console.WriteLine($"server={mode} subscribers={subscribers} stalled={stalled} seconds={elapsed:F1} offered_chunks_per_s={rate} " +
    $"published_chunks={published} chunks_per_s={published / elapsed:F0} delivered_frames={delivered} delivered_per_s={delivered / elapsed:F0} " +
    $"expected_frames={published * subscribers} frames_per_read={(reads == 0 ? 0 : (double)delivered / reads):F1} " +
    $"p50_ms={LatencyHistogram.Quantile(histograms, 0.50)} p99_ms={LatencyHistogram.Quantile(histograms, 0.99)} max_ms={LatencyHistogram.Quantile(histograms, 1.0)}" +
    (serverPid > 0 ? $" server_cpu_s={cpu:F2}" : ""));
foreach (var s in stalledSockets) s.Dispose();
return 0;

// Two chunks per NOOP line: the line and its reply. Several sessions (SMTP_SESSIONS, 4), as an MTA has:
// each waits for a reply before its next line, so one session alone would cap the rate at 1/round trip.
async Task<long> PublishSmtpAsync()
{
    int sessions = int.TryParse(Environment.GetEnvironmentVariable("SMTP_SESSIONS"), out var n) && n > 0 ? n : 4;
    var lines = await Task.WhenAll(Enumerable.Range(0, sessions).Select(_ => SessionAsync(rate / 2.0 / sessions)));
    // Each session also traces its greeting, its QUIT and the 221: three chunks more.
    return 2 * lines.Sum() + 3 * sessions;
}

async Task<long> SessionAsync(double lineRate)
{
    using var tcp = new TcpClient { NoDelay = true };
    await tcp.ConnectAsync("127.0.0.1", smtpPort);
    var stream = tcp.GetStream();
    var reader = new StreamReader(stream, Encoding.ASCII);
    await reader.ReadLineAsync();
    byte[] line = Encoding.ASCII.GetBytes("NOOP " + new string('x', 503) + "\r\n");
    long sent = 0;
    var started = Stopwatch.StartNew();
    while (started.Elapsed.TotalSeconds < seconds)
    {
        long due = (long)(started.Elapsed.TotalSeconds * lineRate);
        while (sent < due && started.Elapsed.TotalSeconds < seconds)
        {
            await stream.WriteAsync(line);
            await reader.ReadLineAsync();
            sent++;
        }
        await Task.Delay(1);
    }
    await stream.WriteAsync("QUIT\r\n"u8.ToArray());
    return sent;
}

// The same frames as ours: 20-byte trace-layout header (timestamp at 12), then 510 or 14 bytes. Paced like
// the SMTP sessions: SMTP_SESSIONS publisher sockets, each sends the "line" and the "reply" message
// together and waits for the peer's two acks (sent once each broadcast was handed to every socket)
// before its next pair, as an SMTP client waits for its reply.
async Task<long> PublishWebSocketAsync()
{
    int sessions = int.TryParse(Environment.GetEnvironmentVariable("SMTP_SESSIONS"), out var n) && n > 0 ? n : 4;
    var pairs = await Task.WhenAll(Enumerable.Range(0, sessions).Select(_ => WebSocketSessionAsync(rate / 2.0 / sessions)));
    return 2 * pairs.Sum();
}

async Task<long> WebSocketSessionAsync(double pairRate)
{
    using var publisher = await RawWebSocket.ConnectAsync(httpPort, null, path: "/ws?ack");
    var big = new byte[20 + 510];
    var small = new byte[20 + 14];
    var acks = new byte[4096];
    int buffered = publisher.LeftoverLength;
    long sent = 0;
    var started = Stopwatch.StartNew();
    while (started.Elapsed.TotalSeconds < seconds)
    {
        long due = (long)(started.Elapsed.TotalSeconds * pairRate);
        while (sent < due && started.Elapsed.TotalSeconds < seconds)
        {
            BinaryPrimitives.WriteInt64BigEndian(big.AsSpan(12), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await publisher.SendAsync(2, big);
            BinaryPrimitives.WriteInt64BigEndian(small.AsSpan(12), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await publisher.SendAsync(2, small);
            // Two acks: unmasked text frames 0x81 0x01 '+', three bytes each.
            while (buffered < 6)
            {
                int got = await publisher.Socket.ReceiveAsync(acks.AsMemory(buffered));
                if (got == 0) throw new IOException("the peer closed the publisher");
                buffered += got;
            }
            buffered -= 6;
            acks.AsSpan(6, buffered).CopyTo(acks);
            sent++;
        }
        await Task.Delay(1);
    }
    return sent;
}

static double ServerCpuSeconds(int pid)
{
    if (pid <= 0) return 0;
    // /proc/PID/stat fields 14 and 15 (utime, stime) in clock ticks (100 per second on Linux).
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
}
