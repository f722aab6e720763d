namespace MailerQ.Www.Smtp.Delivery.Results;

/// <summary>RFC 3461 section 4.3 RET: what of the original message a notification returns.</summary>
internal enum DsnReturn
{
    /// <summary>RET=HDRS: only the header, as <c>text/rfc822-headers</c> (RFC 6522 section 4); MailerQ's default <c>dsn-ret</c>.</summary>
    Headers,

    /// <summary>RET=FULL: the whole message as <c>message/rfc822</c>.</summary>
    Full,
}
