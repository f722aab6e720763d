namespace MailerQ.Www.Http.Parsing;

/// <summary>A slice of <see cref="HttpRequestHead"/>'s buffer, stored as offsets so the buffer may grow.</summary>
internal readonly struct ByteRange(int start, int length)
{
    public readonly int Start = start;
    public readonly int Length = length;
}
