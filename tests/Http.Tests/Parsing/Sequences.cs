using System.Buffers;
using System.Text;

namespace MailerQ.Www.Http.Tests.Parsing;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s the way a pipe may hand them out.</summary>
internal static class Sequences
{
    /// <summary>Latin-1, so every byte 0x00–0xFF can be written in a C# string.</summary>
    public static byte[] Bytes(string s) => Encoding.Latin1.GetBytes(s);

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>One segment per part, empty parts included (a sequence may contain empty segments).</summary>
    public static ReadOnlySequence<byte> FromParts(params ReadOnlyMemory<byte>[] parts)
    {
        if (parts.Length == 0)
            return ReadOnlySequence<byte>.Empty;
        var first = new TestSegment(parts[0]);
        TestSegment last = first;
        for (int i = 1; i < parts.Length; i++)
            last = last.Append(parts[i]);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary><paramref name="data"/> cut at the given ascending offsets.</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, params int[] cuts)
    {
        var parts = new ReadOnlyMemory<byte>[cuts.Length + 1];
        int start = 0;
        for (int i = 0; i < cuts.Length; i++)
        {
            parts[i] = data.AsMemory(start, cuts[i] - start);
            start = cuts[i];
        }

        parts[^1] = data.AsMemory(start);
        return FromParts(parts);
    }

    /// <summary>Every byte in its own segment: every line straddles segments.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data)
    {
        if (data.Length == 0)
            return ReadOnlySequence<byte>.Empty;
        var parts = new ReadOnlyMemory<byte>[data.Length];
        for (int i = 0; i < data.Length; i++)
            parts[i] = data.AsMemory(i, 1);
        return FromParts(parts);
    }

    /// <summary>Cut into segments of <paramref name="size"/> bytes.</summary>
    public static ReadOnlySequence<byte> Chunks(byte[] data, int size)
    {
        var cuts = new List<int>();
        for (int at = size; at < data.Length; at += size)
            cuts.Add(at);
        return Split(data, cuts.ToArray());
    }
}
