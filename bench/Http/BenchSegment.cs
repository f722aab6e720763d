using System.Buffers;

namespace MailerQ.Www.Bench.Http;

/// <summary>A buffer segment for building multi-segment sequences, as a pipe hands them out.</summary>
internal sealed class BenchSegment : ReadOnlySequenceSegment<byte>
{
    public BenchSegment(ReadOnlyMemory<byte> memory) => Memory = memory;

    /// <summary><paramref name="data"/> in segments of <paramref name="size"/> bytes.</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, int size)
    {
        var first = new BenchSegment(data.AsMemory(0, Math.Min(size, data.Length)));
        BenchSegment last = first;
        for (int at = size; at < data.Length; at += size)
        {
            var next = new BenchSegment(data.AsMemory(at, Math.Min(size, data.Length - at))) { RunningIndex = at };
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
