using System.Buffers;

namespace MailerQ.Www.Core.Tracing;

/// <summary>
/// Publish/subscribe hub for live SMTP bytes. A publish copies the bytes once into a pooled,
/// reference-counted <see cref="TraceChunk"/> and offers that same chunk to every interested
/// subscriber; each subscriber has a bounded backlog, and what does not fit is dropped for that
/// subscriber alone. A subscriber that stops making progress is closed. Publishing never blocks and
/// never waits for a subscriber, so a slow browser cannot slow SMTP.
/// </summary>
/// <remarks>
/// Concurrency contract: <see cref="Publish(long, TraceDirection, ReadOnlySequence{byte}, TraceFlags, string?)"/>
/// is called by many SMTP sessions at once and takes no lock: it reads an immutable snapshot of the
/// subscriber array. <see cref="Subscribe"/> and <see cref="Unsubscribe"/> replace that array under a
/// lock (copy-on-write: subscriptions are rare, publishes are hot). Chunks of one publisher reach each
/// subscriber in publish order.
/// </remarks>
public sealed class TraceBus : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly TraceFramePrefix? _prefix;
    private readonly int _maxPayload;
    private readonly int _backlogFrames;
    private readonly long _backlogBytes;
    private readonly long _stallTicks;
    private readonly ITimer _stallTimer;
    private TraceSubscription[] _subscribers = [];
    private volatile int _subscriberCount;
    private long _published;
    private long _dropped;

    /// <summary>Creates a bus; <paramref name="options"/> are read once.</summary>
    public TraceBus(TraceBusOptions? options = null)
    {
        options ??= new TraceBusOptions();
        options.Validate();
        _time = options.TimeProvider;
        _prefix = options.FramePrefix;
        _maxPayload = options.MaxChunkPayload;
        _backlogFrames = options.BacklogFrames;
        _backlogBytes = options.BacklogBytes;
        _stallTicks = (long)(options.StallTimeout.TotalSeconds * _time.TimestampFrequency);
        Pool = new TraceChunkPool(options.MaxPooledChunks);
        _stallTimer = _time.CreateTimer(static state => ((TraceBus)state!).CheckStalls(), this, options.StallCheckInterval, options.StallCheckInterval);
    }

    /// <summary>Where chunks come from and go back to (tests assert <see cref="TraceChunkPool.Outstanding"/> is 0).</summary>
    public TraceChunkPool Pool { get; }

    /// <summary>Subscribers right now.</summary>
    public int SubscriberCount => _subscriberCount;

    /// <summary>Chunks published to at least one subscriber.</summary>
    public long PublishedChunks => Interlocked.Read(ref _published);

    /// <summary>Chunks dropped, summed over subscribers.</summary>
    public long DroppedChunks => Interlocked.Read(ref _dropped);

    internal long Now => _time.GetTimestamp();

    /// <summary>Adds a subscriber whose chunks go to <paramref name="sink"/>.</summary>
    public TraceSubscription Subscribe(ITraceSink sink, TraceFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var subscription = new TraceSubscription(this, sink, filter ?? TraceFilter.All, _backlogFrames, _backlogBytes, Now);
        lock (_gate)
        {
            var current = _subscribers;
            var next = new TraceSubscription[current.Length + 1];
            current.CopyTo(next, 0);
            next[^1] = subscription;
            _subscribers = next;
            _subscriberCount = next.Length;
        }
        return subscription;
    }

    /// <summary>Removes a subscriber; false when it was already gone. Queued chunks stay valid until completed.</summary>
    public bool Unsubscribe(TraceSubscription subscription)
    {
        bool deactivated = subscription.TryDeactivate(stalled: false);
        Remove(subscription);
        return deactivated;
    }

    private void Remove(TraceSubscription subscription)
    {
        lock (_gate)
        {
            var current = _subscribers;
            int index = Array.IndexOf(current, subscription);
            if (index < 0) return;
            var next = new TraceSubscription[current.Length - 1];
            Array.Copy(current, 0, next, 0, index);
            Array.Copy(current, index + 1, next, index, current.Length - index - 1);
            _subscribers = next;
            _subscriberCount = next.Length;
        }
    }

    /// <summary>
    /// Publishes bytes that crossed an SMTP socket. Returns at once; allocates nothing when nobody is
    /// subscribed; otherwise copies the bytes once (split into chunks of at most
    /// <see cref="TraceBusOptions.MaxChunkPayload"/>) and costs O(subscribers).
    /// </summary>
    public void Publish(long sessionId, TraceDirection direction, ReadOnlySequence<byte> bytes, TraceFlags flags = TraceFlags.None, string? peer = null)
    {
        if (_subscriberCount == 0 || bytes.IsEmpty) return;
        if (bytes.IsSingleSegment)
        {
            Publish(sessionId, direction, bytes.FirstSpan, flags, peer);
            return;
        }
        var subscribers = Volatile.Read(ref _subscribers);
        int first = FirstInterested(subscribers, flags, peer);
        if (first < 0) return;

        long now = Now;
        long timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds();
        long total = bytes.Length;
        long offset = 0;
        while (offset < total)
        {
            int length = (int)Math.Min(_maxPayload, total - offset);
            var pieceFlags = offset + length < total ? flags | TraceFlags.Continued : flags & ~TraceFlags.Continued;
            var chunk = Pool.Rent();
            bytes.Slice(offset, length).CopyTo(chunk.Open(length, sessionId, direction, pieceFlags, timestamp, peer));
            FanOut(subscribers, first, chunk, now);
            offset += length;
        }
    }

    /// <summary>The span form of <see cref="Publish(long, TraceDirection, ReadOnlySequence{byte}, TraceFlags, string?)"/>.</summary>
    public void Publish(long sessionId, TraceDirection direction, ReadOnlySpan<byte> bytes, TraceFlags flags = TraceFlags.None, string? peer = null)
    {
        if (_subscriberCount == 0 || bytes.IsEmpty) return;
        var subscribers = Volatile.Read(ref _subscribers);
        int first = FirstInterested(subscribers, flags, peer);
        if (first < 0) return;

        long now = Now;
        long timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds();
        while (!bytes.IsEmpty)
        {
            int length = Math.Min(_maxPayload, bytes.Length);
            var pieceFlags = length < bytes.Length ? flags | TraceFlags.Continued : flags & ~TraceFlags.Continued;
            var chunk = Pool.Rent();
            bytes[..length].CopyTo(chunk.Open(length, sessionId, direction, pieceFlags, timestamp, peer));
            FanOut(subscribers, first, chunk, now);
            bytes = bytes[length..];
        }
    }

    /// <summary>The first subscriber the bytes are for; -1 means no chunk is even rented.</summary>
    private static int FirstInterested(TraceSubscription[] subscribers, TraceFlags flags, string? peer)
    {
        for (int i = 0; i < subscribers.Length; i++)
        {
            if (subscribers[i].Wants(flags, peer)) return i;
        }
        return -1;
    }

    private void FanOut(TraceSubscription[] subscribers, int first, TraceChunk chunk, long now)
    {
        chunk.Prefix(_prefix);
        Interlocked.Increment(ref _published);
        // Drops are summed here and added once: the bus total is one cache line shared by every
        // publisher, and 100 full subscribers must not mean 100 contended increments per chunk.
        long dropped = 0;
        for (int i = first; i < subscribers.Length; i++)
        {
            var subscriber = subscribers[i];
            if (!subscriber.Wants(chunk.Flags, chunk.Peer)) continue;
            if (subscriber.Offer(chunk, now) == TraceOffer.Dropped)
            {
                dropped++;
                // A full backlog is the moment a stall shows; no need to wait for the timer.
                if (subscriber.IsStuck(now, _stallTicks)) Stall(subscriber);
            }
        }
        if (dropped > 0) Interlocked.Add(ref _dropped, dropped);
        // The publisher's own reference: with no taker the chunk goes straight back to the pool.
        chunk.Release();
    }

    /// <summary>Closes every subscriber that has waited longer than the stall timeout (runs on a timer).</summary>
    public void CheckStalls()
    {
        long now = Now;
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            if (subscriber.IsStuck(now, _stallTicks)) Stall(subscriber);
        }
    }

    private void Stall(TraceSubscription subscriber)
    {
        if (!subscriber.TryDeactivate(stalled: true)) return;
        Remove(subscriber);
        subscriber.Sink.OnStalled(subscriber);
    }

    /// <summary>Stops the stall timer; subscribers are not closed (their sockets are).</summary>
    public void Dispose() => _stallTimer.Dispose();
}
