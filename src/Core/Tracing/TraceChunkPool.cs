using System.Collections.Concurrent;

namespace MailerQ.Www.Core.Tracing;

/// <summary>
/// Recycles <see cref="TraceChunk"/> objects; their buffers come from <see cref="System.Buffers.ArrayPool{T}.Shared"/>
/// sized to each chunk, so a stalled subscriber holding many small chunks holds little memory.
/// Counts every rent and return so tests can assert that nothing leaked (<see cref="Outstanding"/> is 0).
/// </summary>
public sealed class TraceChunkPool
{
    private readonly ConcurrentQueue<TraceChunk> _free = new();
    private readonly int _maxRetained;
    private int _retained;
    private long _rented;
    private long _returned;

    /// <summary>Creates a pool that keeps at most <paramref name="maxRetained"/> idle chunk objects.</summary>
    public TraceChunkPool(int maxRetained = 4096) => _maxRetained = maxRetained;

    /// <summary>Chunks handed out so far.</summary>
    public long Rented => Interlocked.Read(ref _rented);

    /// <summary>Chunks given back so far.</summary>
    public long Returned => Interlocked.Read(ref _returned);

    /// <summary>Chunks in use right now: 0 when every reference was released.</summary>
    public long Outstanding => Rented - Returned;

    internal TraceChunk Rent()
    {
        Interlocked.Increment(ref _rented);
        if (_free.TryDequeue(out var chunk))
        {
            Interlocked.Decrement(ref _retained);
            return chunk;
        }
        return new TraceChunk(this);
    }

    internal void Return(TraceChunk chunk)
    {
        chunk.Close();
        Interlocked.Increment(ref _returned);
        if (Interlocked.Increment(ref _retained) <= _maxRetained)
        {
            _free.Enqueue(chunk);
            return;
        }
        Interlocked.Decrement(ref _retained);
    }
}
