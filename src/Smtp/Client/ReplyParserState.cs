namespace MailerQ.Www.Smtp.Client;

/// <summary>Where <see cref="SmtpReplyParser"/> is inside a reply (RFC 5321 section 4.2 Reply-line grammar).</summary>
internal enum ReplyParserState
{
    /// <summary>Expecting the first digit of a line's reply code.</summary>
    LineStart,

    /// <summary>Reading the second or third code digit.</summary>
    Code,

    /// <summary>After three digits: "-" (more lines), " " (last line) or the line end (last line, no text).</summary>
    Separator,

    /// <summary>The line's text up to LF.</summary>
    Text,

    /// <summary>The code-only last line ended in CR; waiting for LF.</summary>
    CodeCr,

    /// <summary>A complete reply is available.</summary>
    Done,

    /// <summary>Not SMTP: bad code, mixed codes or over a limit. The connection cannot be trusted any more.</summary>
    Invalid,
}
