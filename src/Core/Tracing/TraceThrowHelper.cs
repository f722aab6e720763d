using System.Diagnostics.CodeAnalysis;

namespace MailerQ.Www.Core.Tracing;

/// <summary>Keeps throw sites out of the hot publish path (Pipe.cs does the same).</summary>
internal static class TraceThrowHelper
{
    [DoesNotReturn]
    public static void ThrowChunkReleased() =>
        throw new InvalidOperationException("TraceChunk used after its last reference was released.");

    [DoesNotReturn]
    public static void ThrowPrefixTooLong(int length) =>
        throw new InvalidOperationException($"The frame prefix writer returned {length} bytes; at most {TraceLayout.ReservedPrefix} fit.");
}
