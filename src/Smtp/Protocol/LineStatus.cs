namespace MailerQ.Www.Smtp.Protocol;

/// <summary>Result of <see cref="SmtpLineReader.TryRead"/>.</summary>
internal enum LineStatus
{
    /// <summary>No complete line yet; keep what is buffered and read more.</summary>
    NeedMore,

    /// <summary>A line was read (without its line ending).</summary>
    Done,

    /// <summary>The line is over the limit and ended; the reader is past it.</summary>
    TooLong,

    /// <summary>Over the limit with no LF yet: everything buffered was dropped; skip on to the LF.</summary>
    TooLongOpen,

    /// <summary>A CR not followed by LF inside the line (RFC 5321 section 2.3.8).</summary>
    BareCr,
}
