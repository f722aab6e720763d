namespace MailerQ.Www.Smtp.Client;

/// <summary>Bounds on what a remote server can make the client buffer, each with its source.</summary>
internal static class SmtpClientLimits
{
    /// <summary>
    /// RFC 5321 section 4.5.3.1.5 caps a reply line at 512 octets; real servers send longer texts, so we accept
    /// eight times that and refuse only what is clearly not SMTP.
    /// </summary>
    public const int ReplyLine = 4096;

    /// <summary>Lines of one reply (an EHLO list is about 10–20; ours: room for the longest seen, not for a stream).</summary>
    public const int ReplyLines = 128;

    /// <summary>Text octets of one reply, all lines together.</summary>
    public const int ReplyBytes = 64 * 1024;

    /// <summary>Message bytes dot-stuffed between flushes: bounds the pipe's buffered data per DATA block write.</summary>
    public const int DataChunk = 64 * 1024;
}
