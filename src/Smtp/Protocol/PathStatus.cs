namespace MailerQ.Www.Smtp.Protocol;

/// <summary>Why a MAIL or RCPT argument was refused; the session maps each to a reply.</summary>
internal enum PathStatus
{
    Ok,
    Syntax,
    BadParameter,
    UnknownParameter,
    NeedsSmtpUtf8,
    TooLong,
}
