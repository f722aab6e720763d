namespace MailerQ.Www.Smtp.Protocol;

/// <summary>Commands the server knows; values are bit positions in <see cref="SmtpStateTable"/>.</summary>
internal enum SmtpCommandKind
{
    Unknown = 0,
    Helo,
    Ehlo,
    Mail,
    Rcpt,
    Data,
    Bdat,
    Rset,
    Noop,
    Quit,
    Vrfy,
    Expn,
    Help,
    StartTls,
    Auth,
}
