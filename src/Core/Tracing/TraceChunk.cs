using System.Buffers;

namespace MailerQ.Www.Core.Tracing;

/// <summary>
/// One pooled, reference-counted piece of an SMTP trace: a buffer laid out as
/// [frame header, right-aligned in <see cref="TraceLayout.ReservedPrefix"/>] [trace header] [raw bytes].
/// The bus hands the same chunk to every subscriber; each writes <see cref="Frame"/> as it is, so
/// nothing is copied per subscriber.
/// </summary>
/// <remarks>
/// Concurrency contract: the publisher fills the chunk before the first subscriber sees it, and nobody
/// writes to it afterwards. Every holder calls <see cref="Release"/> exactly once for its reference; the
/// last release returns the chunk (and its buffer) to the pool, so a chunk must never be touched after
/// its holder released it.
/// </remarks>
public sealed class TraceChunk
{
    private readonly TraceChunkPool _pool;
    private byte[] _buffer = [];
    private int _frameStart;
    private int _end;
    private int _references;

    internal TraceChunk(TraceChunkPool pool) => _pool = pool;

    /// <summary>The SMTP session the bytes belong to.</summary>
    public long SessionId { get; private set; }

    /// <summary>Which way the bytes crossed the SMTP socket.</summary>
    public TraceDirection Direction { get; private set; }

    /// <summary>Session kind and split marker.</summary>
    public TraceFlags Flags { get; private set; }

    /// <summary>When the bytes were published, in Unix milliseconds.</summary>
    public long Timestamp { get; private set; }

    /// <summary>The SMTP peer's address as text (what the <c>peer</c> filter compares), or null.</summary>
    public string? Peer { get; private set; }

    /// <summary>The whole frame: transport header, trace header, raw bytes. Written as-is to every socket.</summary>
    public ReadOnlyMemory<byte> Frame => _buffer.AsMemory(_frameStart, _end - _frameStart);

    /// <summary>Trace header plus raw bytes: the WebSocket message payload.</summary>
    public ReadOnlyMemory<byte> Message => _buffer.AsMemory(TraceLayout.ReservedPrefix, _end - TraceLayout.ReservedPrefix);

    /// <summary>The raw SMTP bytes.</summary>
    public ReadOnlySpan<byte> Payload => _buffer.AsSpan(TraceLayout.ReservedPrefix + TraceLayout.HeaderSize, _end - TraceLayout.ReservedPrefix - TraceLayout.HeaderSize);

    /// <summary>Length of <see cref="Frame"/>: what a subscriber's byte backlog is charged.</summary>
    public int FrameLength => _end - _frameStart;

    /// <summary>References currently held (tests and assertions).</summary>
    public int References => Volatile.Read(ref _references);

    /// <summary>Takes one more reference for a subscriber.</summary>
    public void AddReference()
    {
        if (Interlocked.Increment(ref _references) <= 1)
            TraceThrowHelper.ThrowChunkReleased();
    }

    /// <summary>Gives one reference back; the last one returns the chunk to its pool.</summary>
    public void Release()
    {
        int left = Interlocked.Decrement(ref _references);
        if (left == 0)
        {
            _pool.Return(this);
            return;
        }
        if (left < 0)
            TraceThrowHelper.ThrowChunkReleased();
    }

    /// <summary>Rents a buffer for <paramref name="payloadLength"/> raw bytes and takes the first reference.</summary>
    internal Span<byte> Open(int payloadLength, long sessionId, TraceDirection direction, TraceFlags flags, long timestamp, string? peer)
    {
        int size = TraceLayout.ReservedPrefix + TraceLayout.HeaderSize + payloadLength;
        _buffer = ArrayPool<byte>.Shared.Rent(size);
        _end = size;
        _frameStart = TraceLayout.ReservedPrefix;
        SessionId = sessionId;
        Direction = direction;
        Flags = flags;
        Timestamp = timestamp;
        Peer = peer;
        _references = 1;
        var header = _buffer.AsSpan(TraceLayout.ReservedPrefix, TraceLayout.HeaderSize);
        TraceLayout.WriteHeader(header, sessionId, direction, flags, timestamp);
        return _buffer.AsSpan(TraceLayout.ReservedPrefix + TraceLayout.HeaderSize, payloadLength);
    }

    /// <summary>Lets the transport write its frame header in front of the trace header.</summary>
    internal void Prefix(TraceFramePrefix? prefix)
    {
        if (prefix is null) return;
        int length = prefix(_buffer.AsSpan(0, TraceLayout.ReservedPrefix), _end - TraceLayout.ReservedPrefix);
        if ((uint)length > TraceLayout.ReservedPrefix)
            TraceThrowHelper.ThrowPrefixTooLong(length);
        _frameStart = TraceLayout.ReservedPrefix - length;
    }

    /// <summary>Clears and returns the buffer: trace bytes may hold AUTH exchanges.</summary>
    internal void Close()
    {
        var buffer = _buffer;
        _buffer = [];
        buffer.AsSpan(0, _end).Clear();
        ArrayPool<byte>.Shared.Return(buffer);
        _end = _frameStart = 0;
        Peer = null;
    }
}
