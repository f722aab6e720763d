namespace MailerQ.Www.Http.Parsing;

/// <summary>One field line of the head: where its name and its OWS-trimmed value sit in the buffer.</summary>
internal readonly struct HeaderEntry(ByteRange name, ByteRange value)
{
    public readonly ByteRange Name = name;
    public readonly ByteRange Value = value;
}
