namespace MailerQ.Www.Http.Parsing;

/// <summary>A slice of <see cref="HttpRequestHead"/>'s buffer, stored as offsets so the buffer may grow.</summary>
internal readonly struct ByteRange(int start, int length)
{
    public readonly int Start = start;
    public readonly int Length = length;

    /// <summary>The same range moved by <paramref name="offset"/> bytes.</summary>
    public ByteRange Shift(int offset) => new(Start + offset, Length);
}
