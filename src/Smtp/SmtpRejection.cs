namespace MailerQ.Www.Smtp;

/// <summary>Why the server refused something; counted per reason for the dashboard.</summary>
internal enum SmtpRejection
{
    ConnectionLimit,
    Relay,
    Size,
    Syntax,
    Sequence,
    Auth,
    Timeout,
    LineTooLong,
    BareLineEnding,
    TooManyRecipients,
    TooManyErrors,
    Queue,
}
