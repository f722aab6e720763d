using System.Buffers;

namespace MailerQ.Www.Core.Tests.Tracing;

/// <summary>Builds multi-segment sequences, the shape SMTP reads hand over from a pipe.</summary>
internal sealed class TestSegment : ReadOnlySequenceSegment<byte>
{
    private TestSegment(ReadOnlyMemory<byte> memory) => Memory = memory;

    public static ReadOnlySequence<byte> Sequence(params byte[][] parts)
    {
        var first = new TestSegment(parts[0]);
        var last = first;
        for (int i = 1; i < parts.Length; i++)
        {
            var next = new TestSegment(parts[i]) { RunningIndex = last.RunningIndex + last.Memory.Length };
            last.Next = next;
            last = next;
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
