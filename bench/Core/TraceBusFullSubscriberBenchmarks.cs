using BenchmarkDotNet.Attributes;
using MailerQ.Www.Core.Tracing;
using MailerQ.Www.Http.WebSockets;

namespace MailerQ.Www.Bench.Core;

/// <summary>
/// Publishing with 100 subscribers that keep up, plus 0 or 100 whose backlogs are full (browsers that
/// stopped reading). Target (issue 6): a full subscriber costs O(1) per publish (no reference, no sink
/// call, one counter), so 100 of them add little next to the 100 live ones, and nothing is allocated.
/// </summary>
[MemoryDiagnoser]
public class TraceBusFullSubscriberBenchmarks
{
    private TraceBus _bus = null!;
    private byte[] _line = [];

    [Params(0, 100)]
    public int FullSubscribers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bus = new TraceBus(new TraceBusOptions
        {
            FramePrefix = WebSocketFrameWriter.TracePrefix,
            BacklogFrames = 16,
            StallTimeout = TimeSpan.FromDays(1),
        });
        for (int i = 0; i < 100; i++) _bus.Subscribe(new BenchTraceSink());
        _line = new byte[512];
        // Fill the held subscribers' backlogs before measuring: from then on every publish drops for them.
        for (int i = 0; i < FullSubscribers; i++) _bus.Subscribe(new HoldingSink());
        for (int i = 0; i < 16; i++) Publish_512B_to_100_live();
    }

    [GlobalCleanup]
    public void Cleanup() => _bus.Dispose();

    [Benchmark]
    public void Publish_512B_to_100_live() => _bus.Publish(1, TraceDirection.ClientToServer, _line.AsSpan(), TraceFlags.None, "192.0.2.1");

    /// <summary>Keeps every chunk and never completes it: a stalled browser (its references are never
    /// returned; the benchmark process ends with them).</summary>
    private sealed class HoldingSink : ITraceSink
    {
        private readonly List<TraceChunk> _held = [];

        public bool TryEnqueue(TraceChunk chunk, TraceSubscription subscription)
        {
            _held.Add(chunk);
            return true;
        }

        public void OnStalled(TraceSubscription subscription)
        {
        }
    }
}
