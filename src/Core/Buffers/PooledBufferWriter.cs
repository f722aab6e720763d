using System.Buffers;

namespace MailerQ.Www.Core.Buffers;

/// <summary>
/// A growable <see cref="IBufferWriter{T}"/> over arrays rented from <see cref="ArrayPool{T}.Shared"/>.
/// Reused across requests (<see cref="Reset"/>) so steady-state use allocates nothing; the array goes
/// back to the pool on <see cref="Dispose"/>, cleared when it may have held secrets.
/// </summary>
public sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer;
    private int _written;
    private readonly bool _clearOnReturn;

    /// <summary>Creates a writer with an initial rented capacity.</summary>
    public PooledBufferWriter(int initialCapacity = 256, bool clearOnReturn = false)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(16, initialCapacity));
        _clearOnReturn = clearOnReturn;
    }

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    /// <summary>The bytes written so far, as memory.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    /// <summary>How many bytes were written.</summary>
    public int WrittenCount => _written;

    /// <summary>Forgets the content and keeps the buffer for the next use.</summary>
    public void Reset()
    {
        if (_clearOnReturn) _buffer.AsSpan(0, _written).Clear();
        _written = 0;
    }

    /// <inheritdoc />
    public void Advance(int count)
    {
        if ((uint)count > (uint)(_buffer.Length - _written))
            throw new ArgumentOutOfRangeException(nameof(count));
        _written += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Appends bytes.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_written));
        _written += bytes.Length;
    }

    private void Ensure(int sizeHint)
    {
        if (sizeHint < 1) sizeHint = 1;
        if (_buffer.Length - _written >= sizeHint) return;
        int size = Math.Max(_buffer.Length * 2, _written + sizeHint);
        var next = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _written).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_buffer, _clearOnReturn);
        _buffer = next;
    }

    /// <summary>Returns the rented array.</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer, _clearOnReturn);
    }
}
