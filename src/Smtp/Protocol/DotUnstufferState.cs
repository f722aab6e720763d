namespace MailerQ.Www.Smtp.Protocol;

/// <summary>States of <see cref="DotUnstuffer"/>.</summary>
internal enum DotUnstufferState
{
    /// <summary>At the start of a line (after CRLF, or at the start of the data).</summary>
    LineStart,

    /// <summary>Inside a line.</summary>
    InLine,

    /// <summary>Inside a line, just after a CR.</summary>
    InLineCr,

    /// <summary>A '.' opened the line: either stuffing or the terminator.</summary>
    Dot,

    /// <summary>".\r" opened the line: LF ends the data.</summary>
    DotCr,

    /// <summary>The terminating CRLF.CRLF was consumed.</summary>
    Done,
}
