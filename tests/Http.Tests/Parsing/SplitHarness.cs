using System.Buffers;
using MailerQ.Www.Http.Parsing;

namespace MailerQ.Www.Http.Tests.Parsing;

/// <summary>
/// Runs one input every way a pipe could deliver it and asserts that every run saw exactly what the
/// one-buffer run saw: split into two segments at every byte offset, fed in two reads at every
/// offset (remainder and new bytes as two segments, and copied into one), one byte per segment,
/// one byte per read, and fixed-size segments.
/// </summary>
internal static class SplitHarness
{
    /// <summary>Inputs longer than this are split at a sample of offsets, not all of them.</summary>
    private const int EveryOffsetUpTo = 4096;

    public static Transcript AssertSameEverywhere(string input, long maxBodyBytes = HttpLimits.MaxApiBodyBytes) =>
        AssertSameEverywhere(Sequences.Bytes(input), maxBodyBytes);

    public static Transcript AssertSameEverywhere(byte[] input, long maxBodyBytes = HttpLimits.MaxApiBodyBytes)
    {
        Transcript whole = ConnectionSimulator.Run(new ReadOnlySequence<byte>(input), maxBodyBytes);
        foreach (int offset in Offsets(input.Length))
        {
            Same(whole, ConnectionSimulator.Run(Sequences.Split(input, offset), maxBodyBytes), $"two segments cut at {offset}");
            Same(whole, ConnectionSimulator.RunIncrementally(input, [offset], contiguous: false, maxBodyBytes), $"two reads cut at {offset}");
            Same(whole, ConnectionSimulator.RunIncrementally(input, [offset], contiguous: true, maxBodyBytes), $"two reads cut at {offset}, contiguous");
        }

        Same(whole, ConnectionSimulator.Run(Sequences.OneBytePerSegment(input), maxBodyBytes), "one byte per segment");
        foreach (int size in (int[])[3, 7, 64, 1000])
            Same(whole, ConnectionSimulator.Run(Sequences.Chunks(input, size), maxBodyBytes), $"segments of {size}");

        int feed = input.Length <= EveryOffsetUpTo ? 1 : 997;
        var cuts = new List<int>();
        for (int at = feed; at < input.Length; at += feed)
            cuts.Add(at);
        Same(whole, ConnectionSimulator.RunIncrementally(input, [.. cuts], contiguous: false, maxBodyBytes), $"reads of {feed} bytes");
        Same(whole, ConnectionSimulator.RunIncrementally(input, [.. cuts], contiguous: true, maxBodyBytes), $"reads of {feed} bytes, contiguous");
        return whole;
    }

    private static IEnumerable<int> Offsets(int length)
    {
        if (length <= EveryOffsetUpTo)
        {
            for (int i = 0; i <= length; i++)
                yield return i;
            yield break;
        }

        // Both ends fully (where lines start and the limit bites) and a prime stride in between.
        for (int i = 0; i < 300; i++)
            yield return i;
        for (int i = 300; i < length - 300; i += 211)
            yield return i;
        for (int i = Math.Max(300, length - 300); i <= length; i++)
            yield return i;
    }

    private static void Same(Transcript expected, Transcript actual, string how)
    {
        if (!expected.Events.SequenceEqual(actual.Events) || expected.Leftover != actual.Leftover && !expected.Failed)
            Assert.Fail($"{how} differs from one buffer.\n--- one buffer:\n{expected}\n--- {how}:\n{actual}");
    }
}
