using System.Buffers.Binary;
using MailerQ.Www.Core.Tracing;

namespace MailerQ.Www.Core.Tests.Tracing;

/// <summary>
/// A subscriber whose backlog is full costs the publisher O(1) (two reads and a counter): its sink is not
/// called, no reference is taken, and every drop is still counted exactly for its stats frame.
/// </summary>
public sealed class TraceBusFullSubscriberTests
{
    private static TraceBus NewBus(Action<TraceBusOptions>? configure = null)
    {
        var options = new TraceBusOptions { TimeProvider = new ManualClock(), StallCheckInterval = TimeSpan.FromHours(1) };
        configure?.Invoke(options);
        return new TraceBus(options);
    }

    private static byte[] Numbered(int n, int size = 16)
    {
        var bytes = new byte[size];
        BinaryPrimitives.WriteInt32BigEndian(bytes, n);
        return bytes;
    }

    [Fact]
    public void A_subscriber_full_by_frames_is_skipped_without_reaching_its_sink_and_every_drop_is_counted()
    {
        using var bus = NewBus(o => o.BacklogFrames = 4);
        var full = new QueueingSink();
        var live = new CountingSink();
        var subscription = bus.Subscribe(full);
        bus.Subscribe(live);

        for (int i = 0; i < 1004; i++) bus.Publish(1, TraceDirection.ClientToServer, Numbered(i));

        Assert.Equal(4, full.Received);
        Assert.Equal(1000, subscription.DroppedCount);
        Assert.Equal(1000, bus.DroppedChunks);
        Assert.Equal(4, subscription.QueuedFrames);
        Assert.Equal(1004, live.Received);
        // Only the four queued chunks are still referenced: every skipped one went straight back.
        Assert.Equal(4, bus.Pool.Outstanding);
        Assert.Equal(4, full.Drain());
        Assert.Equal(0, bus.Pool.Outstanding);
    }

    [Fact]
    public void A_subscriber_full_by_bytes_is_skipped_the_same_way()
    {
        // 20 header bytes + 100 raw bytes per frame (no prefix writer): 3 fit in 400 bytes, not 4.
        using var bus = NewBus(o => o.BacklogBytes = 400);
        var full = new QueueingSink();
        var subscription = bus.Subscribe(full);
        for (int i = 0; i < 50; i++) bus.Publish(1, TraceDirection.ClientToServer, new byte[100]);
        Assert.Equal(3, full.Received);
        Assert.Equal(47, subscription.DroppedCount);
        Assert.Equal(360, subscription.QueuedBytes);
        // A smaller chunk that still fits the byte budget is taken although the budget is nearly used.
        bus.Publish(1, TraceDirection.ClientToServer, new byte[20]);
        Assert.Equal(4, full.Received);
        Assert.Equal(4, full.Drain());
        Assert.Equal(0, bus.Pool.Outstanding);
    }

    [Fact]
    public void Once_the_writer_completes_a_chunk_the_next_publish_is_taken_again()
    {
        using var bus = NewBus(o => o.BacklogFrames = 2);
        var sink = new QueueingSink();
        var subscription = bus.Subscribe(sink);
        for (int i = 0; i < 5; i++) bus.Publish(1, TraceDirection.ClientToServer, Numbered(i));
        Assert.Equal(2, sink.Received);
        Assert.Equal(3, subscription.DroppedCount);

        Assert.Equal(1, sink.Drain(1));
        bus.Publish(1, TraceDirection.ClientToServer, Numbered(5));
        bus.Publish(1, TraceDirection.ClientToServer, Numbered(6));
        Assert.Equal(3, sink.Received);
        Assert.Equal(4, subscription.DroppedCount);
        Assert.Equal(2, sink.Drain());
        Assert.Equal(0, bus.Pool.Outstanding);
    }

    [Fact]
    public async Task Concurrent_publishers_and_a_draining_writer_account_for_every_chunk_exactly()
    {
        const int publishers = 4;
        const int each = 50_000;
        using var bus = NewBus(o => o.BacklogFrames = 64);
        var sink = new QueueingSink();
        var subscription = bus.Subscribe(sink);
        using var done = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            while (!done.IsCancellationRequested) sink.Drain(16);
        });
        var payload = new byte[64];
        await Task.WhenAll(Enumerable.Range(0, publishers).Select(p => Task.Run(() =>
        {
            for (int i = 0; i < each; i++) bus.Publish(p, TraceDirection.ClientToServer, payload);
        })));
        done.Cancel();
        await writer;
        sink.Drain();

        Assert.Equal(publishers * each, sink.Received + subscription.DroppedCount);
        Assert.Equal(subscription.DroppedCount, bus.DroppedChunks);
        Assert.Equal(0, subscription.QueuedFrames);
        Assert.Equal(0, subscription.QueuedBytes);
        Assert.Equal(0, bus.Pool.Outstanding);
    }
}
