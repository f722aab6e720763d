using System.Buffers;
using System.Collections.Concurrent;

namespace MailerQ.Www.Core.Buffers;

/// <summary>
/// A <see cref="MemoryPool{T}"/> of fixed 4 KiB blocks whose owner objects are recycled too.
/// <see cref="MemoryPool{T}.Shared"/> allocates a new owner object on every rent; pipes rent a
/// segment per read, so that would be an allocation per request. Kestrel's PinnedBlockMemoryPool
/// is the model; the cap keeps an idle server from holding memory after a burst.
/// </summary>
public sealed class BlockMemoryPool : MemoryPool<byte>
{
    /// <summary>Size of every block; pipe segments and socket reads use it.</summary>
    public const int BlockSize = 4096;

    private readonly ConcurrentQueue<Block> _blocks = new();
    private readonly int _maxRetained;
    private int _retained;

    /// <summary>Creates a pool that keeps at most <paramref name="maxRetained"/> idle blocks.</summary>
    public BlockMemoryPool(int maxRetained = 4096) => _maxRetained = maxRetained;

    /// <summary>A process-wide pool for servers that do not bring their own.</summary>
    public static new BlockMemoryPool Shared { get; } = new();

    /// <inheritdoc />
    public override int MaxBufferSize => BlockSize;

    /// <inheritdoc />
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        if (minBufferSize > BlockSize)
            return MemoryPool<byte>.Shared.Rent(minBufferSize);
        if (_blocks.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _retained);
            block.Rented = true;
            return block;
        }
        return new Block(this) { Rented = true };
    }

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _retained) <= _maxRetained)
        {
            _blocks.Enqueue(block);
            return;
        }
        Interlocked.Decrement(ref _retained);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing) => _blocks.Clear();

    private sealed class Block(BlockMemoryPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);
        public bool Rented;

        public Memory<byte> Memory => _array;

        public void Dispose()
        {
            // Pipes dispose each segment's owner exactly once; the flag guards against a double return.
            if (!Rented) return;
            Rented = false;
            pool.Return(this);
        }
    }
}
