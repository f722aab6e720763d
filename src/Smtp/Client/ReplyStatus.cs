namespace MailerQ.Www.Smtp.Client;

/// <summary>Result of <see cref="SmtpReplyParser.Parse"/>.</summary>
internal enum ReplyStatus
{
    /// <summary>The reply is incomplete; keep what was consumed and read more.</summary>
    NeedMore,

    /// <summary>A whole reply was read; the reader stops right after its last line.</summary>
    Done,

    /// <summary>The input is not an SMTP reply (see <see cref="SmtpReplyParser.Error"/>).</summary>
    Invalid,
}
