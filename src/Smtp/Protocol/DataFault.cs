namespace MailerQ.Www.Smtp.Protocol;

/// <summary>What was wrong with a message body; the first fault decides the reply after the end of data.</summary>
internal enum DataFault
{
    None,

    /// <summary>RFC 5321 section 2.3.8: CR and LF only as CRLF. Refused because a bare LF is how SMTP smuggling works.</summary>
    BareLineEnding,

    /// <summary>RFC 5321 section 4.5.3.1.6: 1000 octets per line including CRLF.</summary>
    LineTooLong,

    /// <summary>Over <c>smtp-maxsize</c> (RFC 1870 section 6).</summary>
    TooBig,
}
