using System.Buffers;
using BenchmarkDotNet.Attributes;
using MailerQ.Www.Bench.Http;
using MailerQ.Www.Core.Tracing;
using MailerQ.Www.Http.WebSockets;

namespace MailerQ.Www.Bench.Core;

/// <summary>
/// Publishing SMTP bytes to the trace bus with 0, 1 and 1000 in-memory subscribers that keep up.
/// Targets (issue 6): 0 B allocated with no subscriber; with subscribers, one copy and O(subscribers).
/// </summary>
[MemoryDiagnoser]
public class TraceBusBenchmarks
{
    private TraceBus _bus = null!;
    private byte[] _line = [];
    private ReadOnlySequence<byte> _segmented;

    [Params(0, 1, 1000)]
    public int Subscribers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bus = new TraceBus(new TraceBusOptions { FramePrefix = WebSocketFrameWriter.TracePrefix });
        for (int i = 0; i < Subscribers; i++) _bus.Subscribe(new BenchTraceSink());
        _line = new byte[512];
        _segmented = BenchSegment.Split(_line, 200);
    }

    [GlobalCleanup]
    public void Cleanup() => _bus.Dispose();

    [Benchmark(Baseline = true)]
    public void Publish_512B_span() => _bus.Publish(1, TraceDirection.ClientToServer, _line.AsSpan(), TraceFlags.None, "192.0.2.1");

    [Benchmark]
    public void Publish_512B_three_segments() => _bus.Publish(1, TraceDirection.ServerToClient, _segmented, TraceFlags.None, "192.0.2.1");
}
