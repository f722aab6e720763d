namespace MailerQ.Www.Smtp.Protocol;

/// <summary>Where a session is in RFC 5321's command sequence (section 4.1.4).</summary>
internal enum SmtpState
{
    /// <summary>Greeting sent, no EHLO/HELO yet.</summary>
    Connected,

    /// <summary>After EHLO/HELO or a finished transaction: a new MAIL may start.</summary>
    Ready,

    /// <summary>After MAIL FROM: recipients may follow.</summary>
    Mail,

    /// <summary>At least one recipient accepted: DATA or BDAT may follow.</summary>
    Recipients,

    /// <summary>A BDAT without LAST was received: only BDAT, RSET, NOOP, QUIT (RFC 3030 section 2).</summary>
    Chunking,
}
