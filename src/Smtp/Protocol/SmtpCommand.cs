namespace MailerQ.Www.Smtp.Protocol;

/// <summary>A parsed command line: the verb and where its argument starts (no copy, no string).</summary>
internal readonly struct SmtpCommand(SmtpCommandKind kind, int argumentStart)
{
    public SmtpCommandKind Kind { get; } = kind;

    /// <summary>Offset of the argument in the line (after the verb and its blanks); line length when none.</summary>
    public int ArgumentStart { get; } = argumentStart;

    public ReadOnlySpan<byte> Argument(ReadOnlySpan<byte> line) => line[ArgumentStart..].TrimEnd((byte)' ');
}
