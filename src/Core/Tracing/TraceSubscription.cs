namespace MailerQ.Www.Core.Tracing;

/// <summary>
/// One subscriber of the <see cref="TraceBus"/>: its filter, its bounded backlog (frames and bytes
/// queued in its sink and not yet completed), what was dropped for it, and its progress clock.
/// </summary>
/// <remarks>
/// Concurrency contract: publishers call <see cref="Offer"/> concurrently; the consumer calls
/// <see cref="Complete"/> for every accepted chunk; the owner may swap <see cref="Filter"/> at any time.
/// All shared state is updated with interlocked operations, so publishers never take a lock.
/// </remarks>
public sealed class TraceSubscription : IDisposable
{
    private const int Active = 0;
    private const int Removed = 1;
    private const int Stalled = 2;

    private readonly TraceBus _bus;
    private readonly int _maxFrames;
    private readonly long _maxBytes;
    private TraceFilter _filter;
    private int _queuedFrames;
    private long _queuedBytes;
    private long _dropped;
    private long _lastProgress;
    private int _state;

    internal TraceSubscription(TraceBus bus, ITraceSink sink, TraceFilter filter, int maxFrames, long maxBytes, long now)
    {
        _bus = bus;
        Sink = sink;
        _filter = filter;
        _maxFrames = maxFrames;
        _maxBytes = maxBytes;
        _lastProgress = now;
    }

    /// <summary>Where accepted chunks go.</summary>
    public ITraceSink Sink { get; }

    /// <summary>Which chunks are offered; replaced atomically.</summary>
    public TraceFilter Filter
    {
        get => Volatile.Read(ref _filter);
        set => Volatile.Write(ref _filter, value ?? TraceFilter.All);
    }

    /// <summary>Chunks dropped for this subscriber because its backlog was full.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>Chunks accepted and not yet completed.</summary>
    public int QueuedFrames => Volatile.Read(ref _queuedFrames);

    /// <summary>Frame bytes accepted and not yet completed.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>Still receiving chunks (neither unsubscribed nor closed for stalling).</summary>
    public bool IsActive => Volatile.Read(ref _state) == Active;

    /// <summary>Was removed because it made no progress for longer than the stall timeout.</summary>
    public bool IsStalled => Volatile.Read(ref _state) == Stalled;

    /// <summary>Leaves the bus; chunks already queued stay valid until completed.</summary>
    public void Dispose() => _bus.Unsubscribe(this);

    internal bool Wants(TraceFlags flags, string? peer) => Volatile.Read(ref _state) == Active && Volatile.Read(ref _filter).Matches(flags, peer);

    /// <summary>Queues <paramref name="chunk"/> unless the backlog is full. Never blocks.</summary>
    internal TraceOffer Offer(TraceChunk chunk, long now)
    {
        if (Volatile.Read(ref _state) != Active) return TraceOffer.Closed;
        int length = chunk.FrameLength;
        // A subscriber known to be full (its writer stuck on a stalled socket) costs two plain reads and
        // one counter: no reservation to take back, no reference, no sink call. Only the writer's
        // Complete makes room, and the next offer after it sees that room.
        if (Volatile.Read(ref _queuedFrames) >= _maxFrames || Volatile.Read(ref _queuedBytes) > _maxBytes - length)
        {
            Interlocked.Increment(ref _dropped);
            return TraceOffer.Dropped;
        }
        // The reservation below stays exact when several publishers race past the check above.
        int frames = Interlocked.Increment(ref _queuedFrames);
        long bytes = Interlocked.Add(ref _queuedBytes, length);
        if (frames > _maxFrames || bytes > _maxBytes)
        {
            Unqueue(length);
            Interlocked.Increment(ref _dropped);
            return TraceOffer.Dropped;
        }
        // The stall clock measures time without progress while something waits: start it when the
        // backlog goes from empty to non-empty.
        if (frames == 1) Volatile.Write(ref _lastProgress, now);
        chunk.AddReference();
        if (Sink.TryEnqueue(chunk, this)) return TraceOffer.Accepted;
        Unqueue(length);
        chunk.Release();
        return TraceOffer.Closed;
    }

    /// <summary>
    /// The consumer is done with a chunk it accepted (written to its socket, or discarded because it is
    /// closing). Counts as progress and releases the consumer's reference.
    /// </summary>
    public void Complete(TraceChunk chunk)
    {
        Unqueue(chunk.FrameLength);
        Volatile.Write(ref _lastProgress, _bus.Now);
        chunk.Release();
    }

    private void Unqueue(int length)
    {
        Interlocked.Add(ref _queuedBytes, -length);
        Interlocked.Decrement(ref _queuedFrames);
    }

    /// <summary>Chunks wait and none was completed for longer than <paramref name="timeout"/> ticks.</summary>
    internal bool IsStuck(long now, long timeout) =>
        Volatile.Read(ref _queuedFrames) > 0 && now - Volatile.Read(ref _lastProgress) > timeout;

    /// <summary>Leaves the active state once; true for the caller that did it.</summary>
    internal bool TryDeactivate(bool stalled) =>
        Interlocked.CompareExchange(ref _state, stalled ? Stalled : Removed, Active) == Active;
}
