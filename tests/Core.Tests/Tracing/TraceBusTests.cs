using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using MailerQ.Www.Core.Tracing;

namespace MailerQ.Www.Core.Tests.Tracing;

public sealed class TraceBusTests
{
    private static readonly TimeSpan Never = TimeSpan.FromHours(1);

    private static (TraceBus Bus, ManualClock Clock) NewBus(Action<TraceBusOptions>? configure = null)
    {
        var clock = new ManualClock();
        // The timer is kept out of the way; tests call CheckStalls themselves.
        var options = new TraceBusOptions { TimeProvider = clock, StallCheckInterval = Never };
        configure?.Invoke(options);
        return (new TraceBus(options), clock);
    }

    private static byte[] Numbered(int n, int size = 16)
    {
        var bytes = new byte[size];
        BinaryPrimitives.WriteInt32BigEndian(bytes, n);
        return bytes;
    }

    [Fact]
    public void Publishing_with_no_subscribers_allocates_nothing()
    {
        using var bus = new TraceBus();
        var span = new byte[512];
        var single = new ReadOnlySequence<byte>(span);
        var multi = TestSegment.Sequence(new byte[100], new byte[200], new byte[300]);
        var source = new TraceSource(bus, 7, "192.0.2.1", outbound: false);
        for (int i = 0; i < 100; i++)
        {
            bus.Publish(1, TraceDirection.ClientToServer, span);
            bus.Publish(1, TraceDirection.ClientToServer, multi);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            bus.Publish(1, TraceDirection.ClientToServer, span);
            bus.Publish(1, TraceDirection.ServerToClient, single);
            bus.Publish(1, TraceDirection.ServerToClient, multi, TraceFlags.Outbound, "192.0.2.1");
            source.Received(multi);
            source.Sent(span);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Nothing per publish (50,000 here): a one-off 40 B from the runtime (seen under load, the same in
        // the other allocation test) may land in the window, so the bound is under 1 B per publish.
        Assert.True(allocated < 50_000, $"{allocated} B for 50,000 publishes");
        Assert.Equal(0, bus.Pool.Rented);
    }

    [Fact]
    public void Publishing_to_a_subscriber_that_keeps_up_allocates_nothing_once_warm()
    {
        using var bus = new TraceBus();
        var sink = new CountingSink();
        using var subscription = bus.Subscribe(sink);
        var multi = TestSegment.Sequence(new byte[100], new byte[200], new byte[300]);
        for (int i = 0; i < 1000; i++) bus.Publish(1, TraceDirection.ClientToServer, multi);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) bus.Publish(1, TraceDirection.ClientToServer, multi);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Nothing per publish: a one-off lazy initialisation inside the runtime (seen: 40 B once, from the
        // shared ArrayPool's per-core stacks) may land in the window, so the bound is under 1 B per publish.
        Assert.True(allocated < 10_000, $"{allocated} B for 10,000 publishes");
        Assert.Equal(11_000, sink.Received);
        Assert.Equal(0, bus.Pool.Outstanding);
    }

    [Fact]
    public void Thousand_subscribers_receive_every_chunk_in_order()
    {
        var (bus, _) = NewBus();
        using var _bus = bus;
        var sinks = Enumerable.Range(0, 1000).Select(_ => new RecordingSink { RecordBytes = false }).ToArray();
        var subscriptions = sinks.Select(s => bus.Subscribe(s)).ToArray();
        const int chunks = 2000;
        for (int i = 0; i < chunks; i++)
            bus.Publish(42, TraceDirection.ClientToServer, Numbered(i));

        var expected = Enumerable.Range(0, chunks).ToList();
        Assert.All(sinks, s => Assert.Equal(expected, s.Sequence));
        Assert.Equal(chunks, bus.PublishedChunks);
        Assert.Equal(0, bus.DroppedChunks);
        Assert.Equal(chunks, bus.Pool.Rented);
        Assert.Equal(0, bus.Pool.Outstanding);
        foreach (var s in subscriptions) s.Dispose();
        Assert.Equal(0, bus.SubscriberCount);
    }

    [Fact]
    public async Task Concurrent_publishers_reach_every_subscriber_each_in_its_own_order()
    {
        var (bus, _) = NewBus(o => o.BacklogFrames = 1_000_000);
        using var _bus = bus;
        var sinks = Enumerable.Range(0, 8).Select(_ => new PerSessionSink()).ToArray();
        foreach (var s in sinks) bus.Subscribe(s);
        const int perPublisher = 20_000;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(p => Task.Run(() =>
        {
            for (int i = 0; i < perPublisher; i++) bus.Publish(p, TraceDirection.ServerToClient, Numbered(i));
        })));
        foreach (var sink in sinks)
        {
            for (int p = 0; p < 4; p++)
                Assert.Equal(Enumerable.Range(0, perPublisher), sink.For(p));
        }
        Assert.Equal(0, bus.Pool.Outstanding);
    }

    [Fact]
    public void Chunk_carries_the_trace_header_byte_by_byte_after_the_frame_prefix()
    {
        var (bus, clock) = NewBus(o => o.FramePrefix = static (reserved, length) =>
        {
            // A two-byte stand-in for the WebSocket header: marker and the payload length.
            reserved[^2] = 0x82;
            reserved[^1] = (byte)length;
            return 2;
        });
        using var _bus = bus;
        var sink = new RecordingSink();
        bus.Subscribe(sink);
        bus.Publish(0x0102030405060708, TraceDirection.ServerToClient, "250 OK\r\n"u8, TraceFlags.Outbound, "198.51.100.7");

        var frame = Assert.Single(sink.Frames);
        long unixMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        byte[] expected =
        [
            0x82, 20 + 8,
            1, 2, 3, 4, 5, 6, 7, 8, // session id
            1,                      // direction: server to client
            0x01,                   // flags: outbound session
            0, 0,                   // reserved
            .. BitConverter.GetBytes(BinaryPrimitives.ReverseEndianness(unixMs)),
            .. "250 OK\r\n"u8.ToArray(),
        ];
        Assert.Equal(expected, frame);
        Assert.Equal(0, bus.Pool.Outstanding);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(3000)]
    public void A_publish_larger_than_a_chunk_is_split_and_marked_continued(int size)
    {
        var (bus, _) = NewBus(o => o.MaxChunkPayload = 1000);
        using var _bus = bus;
        var sink = new RecordingSink();
        bus.Subscribe(sink);
        var data = Enumerable.Range(0, size).Select(i => (byte)i).ToArray();
        bus.Publish(1, TraceDirection.ClientToServer, TestSegment.Sequence(data[..(size / 3)], data[(size / 3)..]));
        bus.Publish(2, TraceDirection.ClientToServer, data.AsSpan());

        int pieces = (size + 999) / 1000;
        Assert.Equal(2 * pieces, sink.Payloads.Count);
        for (int round = 0; round < 2; round++)
        {
            var payloads = sink.Payloads.Skip(round * pieces).Take(pieces).ToArray();
            var flags = sink.Flags.Skip(round * pieces).Take(pieces).ToArray();
            Assert.Equal(data, payloads.SelectMany(p => p).ToArray());
            Assert.All(payloads, p => Assert.InRange(p.Length, 1, 1000));
            Assert.All(flags[..^1], f => Assert.Equal(TraceFlags.Continued, f));
            Assert.Equal(TraceFlags.None, flags[^1]);
        }
        Assert.Equal(0, bus.Pool.Outstanding);
    }

    [Fact]
    public void A_full_backlog_drops_new_chunks_for_that_subscriber_only_and_counts_them()
    {
        var (bus, _) = NewBus(o => o.BacklogFrames = 10);
        using var _bus = bus;
        var slow = new RecordingSink(hold: true);
        var fast = new RecordingSink { RecordBytes = false };
        var slowSubscription = bus.Subscribe(slow);
        bus.Subscribe(fast);
        for (int i = 0; i < 25; i++) bus.Publish(1, TraceDirection.ClientToServer, Numbered(i));

        Assert.Equal(10, slow.HeldCount);
        Assert.Equal(15, slowSubscription.DroppedCount);
        Assert.Equal(10, slowSubscription.QueuedFrames);
        Assert.Equal(Enumerable.Range(0, 25), fast.Sequence);
        Assert.Equal(15, bus.DroppedChunks);
        Assert.Equal(10, bus.Pool.Outstanding);

        slow.ReleaseHeld();
        Assert.Equal(0, slowSubscription.QueuedFrames);
        Assert.Equal(0, slowSubscription.QueuedBytes);
        Assert.Equal(0, bus.Pool.Outstanding);
    }

    [Fact]
    public void The_byte_budget_bounds_the_backlog_too()
    {
        // Each frame is 20 header bytes + 100 raw bytes (no prefix writer): 3 fit in 400 bytes, not 4.
        var (bus, _) = NewBus(o => o.BacklogBytes = 400);
        using var _bus = bus;
        var slow = new RecordingSink(hold: true);
        var subscription = bus.Subscribe(slow);
        for (int i = 0; i < 5; i++) bus.Publish(1, TraceDirection.ClientToServer, new byte[100]);
        Assert.Equal(3, slow.HeldCount);
        Assert.Equal(2, subscription.DroppedCount);
        Assert.Equal(360, subscription.QueuedBytes);
        slow.ReleaseHeld();
        Assert.Equal(0, bus.Pool.Outstanding);
    }

    [Fact]
    public void A_subscriber_without_progress_is_closed_after_the_stall_timeout_and_the_others_carry_on()
    {
        var (bus, clock) = NewBus(o => o.StallTimeout = TimeSpan.FromSeconds(10));
        using var _bus = bus;
        var stuck = new RecordingSink(hold: true);
        var live = new RecordingSink { RecordBytes = false };
        var stuckSubscription = bus.Subscribe(stuck);
        bus.Subscribe(live);

        bus.Publish(1, TraceDirection.ClientToServer, Numbered(0));
        clock.Advance(TimeSpan.FromSeconds(9));
        bus.CheckStalls();
        Assert.Equal(0, stuck.StalledCalls);
        Assert.True(stuckSubscription.IsActive);

        clock.Advance(TimeSpan.FromSeconds(2));
        bus.CheckStalls();
        bus.CheckStalls();
        Assert.Equal(1, stuck.StalledCalls);
        Assert.True(stuckSubscription.IsStalled);
        Assert.Equal(1, bus.SubscriberCount);

        for (int i = 1; i < 100; i++) bus.Publish(1, TraceDirection.ClientToServer, Numbered(i));
        Assert.Equal(Enumerable.Range(0, 100), live.Sequence);
        Assert.Equal(1, stuck.HeldCount);

        stuck.ReleaseHeld();
        Assert.Equal(0, bus.Pool.Outstanding);
    }

    [Fact]
    public void An_idle_subscriber_with_nothing_queued_is_never_stalled()
    {
        var (bus, clock) = NewBus();
        using var _bus = bus;
        var sink = new RecordingSink();
        bus.Subscribe(sink);
        bus.Publish(1, TraceDirection.ClientToServer, Numbered(0));
        clock.Advance(TimeSpan.FromMinutes(10));
        bus.CheckStalls();
        Assert.Equal(0, sink.StalledCalls);
        Assert.Equal(1, bus.SubscriberCount);
    }

    [Fact]
    public void A_drop_on_a_stuck_subscriber_closes_it_without_waiting_for_the_timer()
    {
        var (bus, clock) = NewBus(o => o.BacklogFrames = 4);
        using var _bus = bus;
        var stuck = new RecordingSink(hold: true);
        bus.Subscribe(stuck);
        for (int i = 0; i < 4; i++) bus.Publish(1, TraceDirection.ClientToServer, Numbered(i));
        clock.Advance(TimeSpan.FromSeconds(11));
        bus.Publish(1, TraceDirection.ClientToServer, Numbered(4));
        Assert.Equal(1, stuck.StalledCalls);
        Assert.Equal(0, bus.SubscriberCount);
        stuck.ReleaseHeld();
        Assert.Equal(0, bus.Pool.Outstanding);
    }

    [Fact]
    public void A_million_publishes_with_a_stalled_subscriber_complete_and_leave_the_pool_balanced()
    {
        var (bus, _) = NewBus();
        using var _bus = bus;
        var stuck = new RecordingSink(hold: true);
        var live = new CountingSink();
        var stuckSubscription = bus.Subscribe(stuck);
        bus.Subscribe(live);
        var line = Encoding.ASCII.GetBytes("RCPT TO:<someone@example.org>\r\n");
        const int count = 1_000_000;
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < count; i++) bus.Publish(i & 15, TraceDirection.ClientToServer, line);
        started.Stop();

        Assert.Equal(count, live.Received);
        Assert.Equal(1024, stuck.HeldCount);
        Assert.Equal(count - 1024, stuckSubscription.DroppedCount);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(60), $"publishing took {started.Elapsed}");
        stuck.ReleaseHeld();
        Assert.Equal(count, bus.Pool.Rented);
        Assert.Equal(0, bus.Pool.Outstanding);
    }

    [Theory]
    [InlineData(null, null, 4)]
    [InlineData(false, null, 2)]
    [InlineData(true, null, 2)]
    [InlineData(null, "2001:DB8::1", 2)]
    [InlineData(true, "192.0.2.1", 1)]
    [InlineData(false, "192.0.2.9", 0)]
    public void Filters_select_by_session_kind_and_peer(bool? outbound, string? peer, int expected)
    {
        var (bus, _) = NewBus();
        using var _bus = bus;
        var sink = new RecordingSink();
        bus.Subscribe(sink, new TraceFilter(outbound, peer));
        new TraceSource(bus, 1, "192.0.2.1", outbound: true).Sent("EHLO a\r\n"u8);
        new TraceSource(bus, 2, "192.0.2.1", outbound: false).Received("EHLO b\r\n"u8);
        new TraceSource(bus, 3, "2001:db8::1", outbound: true).Received("220 c\r\n"u8);
        new TraceSource(bus, 4, "2001:db8::1", outbound: false).Sent("220 d\r\n"u8);
        Assert.Equal(expected, sink.Payloads.Count);
        Assert.Equal(0, bus.Pool.Outstanding);
    }

    [Fact]
    public void Nothing_is_rented_when_no_filter_wants_the_bytes()
    {
        var (bus, _) = NewBus();
        using var _bus = bus;
        bus.Subscribe(new RecordingSink(), new TraceFilter(outbound: true, peer: null));
        bus.Publish(1, TraceDirection.ClientToServer, "DATA\r\n"u8);
        Assert.Equal(0, bus.Pool.Rented);
    }

    [Fact]
    public void Trace_source_maps_read_and_write_to_the_smtp_direction()
    {
        var (bus, _) = NewBus();
        using var _bus = bus;
        var sink = new RecordingSink();
        bus.Subscribe(sink);
        var inbound = new TraceSource(bus, 1, "192.0.2.1", outbound: false);
        var outbound = new TraceSource(bus, 2, "192.0.2.2", outbound: true);
        inbound.Received("EHLO\r\n"u8);
        inbound.Sent("250\r\n"u8);
        outbound.Received("220\r\n"u8);
        outbound.Sent("EHLO\r\n"u8);
        Assert.Equal(
            [TraceDirection.ClientToServer, TraceDirection.ServerToClient, TraceDirection.ServerToClient, TraceDirection.ClientToServer],
            sink.Frames.Select(f => (TraceDirection)f[TraceLayout.DirectionOffset]));
    }

    [Fact]
    public void An_unsubscribed_sink_gets_nothing_more_and_a_closing_sink_costs_no_reference()
    {
        var (bus, _) = NewBus();
        using var _bus = bus;
        var gone = new RecordingSink();
        var closing = new RecordingSink { Closed = true };
        var subscription = bus.Subscribe(gone);
        bus.Subscribe(closing);
        bus.Publish(1, TraceDirection.ClientToServer, Numbered(0));
        Assert.True(bus.Unsubscribe(subscription));
        Assert.False(bus.Unsubscribe(subscription));
        bus.Publish(1, TraceDirection.ClientToServer, Numbered(1));
        Assert.Equal([0], gone.Sequence);
        Assert.Equal(0, closing.Received);
        Assert.Equal(0, bus.Pool.Outstanding);
    }

    [Fact]
    public void A_chunk_released_too_often_is_a_bug_that_throws()
    {
        var pool = new TraceChunkPool();
        var chunk = pool.Rent();
        chunk.Open(4, 1, TraceDirection.ClientToServer, TraceFlags.None, 0, null);
        chunk.Release();
        Assert.Equal(0, pool.Outstanding);
        Assert.Throws<InvalidOperationException>(chunk.Release);
        Assert.Throws<InvalidOperationException>(chunk.AddReference);
    }
}
