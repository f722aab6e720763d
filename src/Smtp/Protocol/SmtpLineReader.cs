using System.Buffers;

namespace MailerQ.Www.Smtp.Protocol;

/// <summary>
/// Splits command lines off the input with a hard cap, Kestrel style: search the current span first and
/// copy into the caller's scratch buffer only when a line straddles segments.
/// </summary>
/// <remarks>
/// A line ends at LF; a CR right before it is dropped. A bare LF terminator is accepted for commands (as
/// Postfix does; it cannot end a message, see <see cref="DotUnstuffer"/>), a CR elsewhere is refused.
/// </remarks>
internal static class SmtpLineReader
{
    /// <param name="scratch">At least <paramref name="maxLength"/> bytes; used only for multi-segment lines.</param>
    /// <param name="maxLength">Octets including CRLF.</param>
    public static LineStatus TryRead(ref SequenceReader<byte> reader, int maxLength, Span<byte> scratch, out ReadOnlySpan<byte> line)
    {
        var span = reader.UnreadSpan;
        int lf = span.IndexOf((byte)'\n');
        if (lf >= 0)
        {
            reader.Advance(lf + 1);
            if (lf + 1 > maxLength)
            {
                line = default;
                return LineStatus.TooLong;
            }
            line = span[..lf];
            return Finish(ref line);
        }

        if (reader.TryReadTo(out ReadOnlySequence<byte> sequence, (byte)'\n', advancePastDelimiter: true))
        {
            if (sequence.Length + 1 > maxLength)
            {
                line = default;
                return LineStatus.TooLong;
            }
            int length = (int)sequence.Length;
            sequence.CopyTo(scratch);
            line = scratch[..length];
            return Finish(ref line);
        }

        line = default;
        // No LF yet: more than the limit already buffered can never become a valid line.
        if (reader.Remaining < maxLength)
            return LineStatus.NeedMore;
        reader.AdvanceToEnd();
        return LineStatus.TooLongOpen;
    }

    /// <summary>Skips to just past the next LF; false when the input ends first (call again with more input).</summary>
    public static bool TrySkipLine(ref SequenceReader<byte> reader)
    {
        if (reader.TryAdvanceTo((byte)'\n', advancePastDelimiter: true))
            return true;
        reader.AdvanceToEnd();
        return false;
    }

    private static LineStatus Finish(ref ReadOnlySpan<byte> line)
    {
        if (!line.IsEmpty && line[^1] == (byte)'\r')
            line = line[..^1];
        return line.Contains((byte)'\r') ? LineStatus.BareCr : LineStatus.Done;
    }
}
