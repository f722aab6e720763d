// Load tools for bench/load.sh.
//   storm PORT N                 open N connections to 127.0.0.1:PORT at once, each sends one
//                                keep-alive GET /healthz; connections that get 200 stay open until
//                                every connection has its answer, so the server's cap is held.
//                                Prints "served=S rejected503=R failed=F".
//   first-answer PORT PROG ARGS  start PROG, connect to PORT every millisecond, print the ms from
//                                exec to the first "200" for GET /healthz and the child's PID; the
//                                child keeps running (the script stops it).
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

var request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"u8.ToArray();

switch (args.Length > 0 ? args[0] : "")
{
    case "storm":
        return await StormAsync(int.Parse(args[1]), int.Parse(args[2]));
    case "first-answer":
        return await FirstAnswerAsync(int.Parse(args[1]), args[2], args[3..]);
    default:
        Console.Error.WriteLine("usage: storm PORT N | first-answer PORT PROGRAM [ARGS...]");
        return 2;
}

async Task<int> StormAsync(int port, int n)
{
    var endpoint = new IPEndPoint(IPAddress.Loopback, port);
    var answered = 0;
    var allAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    void Answered() { if (Interlocked.Increment(ref answered) == n) allAnswered.TrySetResult(); }

    async Task<int> OneAsync()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var status = 0;
        try
        {
            await socket.ConnectAsync(endpoint);
            await socket.SendAsync(request);
            var buffer = new byte[12];
            var got = 0;
            while (got < buffer.Length)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(got));
                if (read == 0) break;
                got += read;
            }
            if (got == buffer.Length) status = int.Parse(Encoding.ASCII.GetString(buffer, 9, 3));
        }
        catch (SocketException) { }
        Answered();
        if (status == 200) await release.Task;
        return status;
    }

    var clock = Stopwatch.StartNew();
    var tasks = new Task<int>[n];
    for (var i = 0; i < n; i++) tasks[i] = OneAsync();
    await Task.WhenAny(allAnswered.Task, Task.Delay(TimeSpan.FromSeconds(30)));
    var elapsed = clock.Elapsed.TotalMilliseconds;
    release.TrySetResult();
    var results = await Task.WhenAll(tasks);
    int served = 0, rejected = 0, failed = 0;
    foreach (var s in results)
    {
        if (s == 200) served++;
        else if (s == 503) rejected++;
        else failed++;
    }
    Console.WriteLine($"served={served} rejected503={rejected} failed={failed} connections={n} ms={elapsed:F0}");
    return 0;
}

async Task<int> FirstAnswerAsync(int port, string program, string[] programArgs)
{
    var endpoint = new IPEndPoint(IPAddress.Loopback, port);
    var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
    foreach (var a in programArgs) start.ArgumentList.Add(a);
    var buffer = new byte[12];
    var clock = Stopwatch.StartNew();
    using var child = Process.Start(start)!;
    child.BeginErrorReadLine();
    child.BeginOutputReadLine();
    while (clock.Elapsed < TimeSpan.FromSeconds(20) && !child.HasExited)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint);
            await socket.SendAsync(request);
            var got = 0;
            while (got < buffer.Length)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(got));
                if (read == 0) break;
                got += read;
            }
            if (got == buffer.Length && buffer[9] == (byte)'2')
            {
                Console.WriteLine($"first-answer-ms={clock.Elapsed.TotalMilliseconds:F1} pid={child.Id}");
                return 0;
            }
        }
        catch (SocketException) { }
        await Task.Delay(1);
    }
    Console.WriteLine("first-answer-ms=NaN pid=" + child.Id);
    return 1;
}
