namespace MailerQ.Www.Core.Sessions;

/// <summary>Why the server refused something; counted per reason for the dashboard.</summary>
public enum SmtpRejection
{
    /// <summary>Too many connections (in total or from one address).</summary>
    ConnectionLimit,
    /// <summary>A recipient the server does not relay for.</summary>
    Relay,
    /// <summary>A message over the size limit.</summary>
    Size,
    /// <summary>A command it could not parse.</summary>
    Syntax,
    /// <summary>A command out of order.</summary>
    Sequence,
    /// <summary>A failed authentication.</summary>
    Auth,
    /// <summary>The client was too slow.</summary>
    Timeout,
    /// <summary>A command or text line over the line limit.</summary>
    LineTooLong,
    /// <summary>A bare CR or LF in the message.</summary>
    BareLineEnding,
    /// <summary>More recipients than a message may have.</summary>
    TooManyRecipients,
    /// <summary>The client made too many errors and was disconnected.</summary>
    TooManyErrors,
    /// <summary>The queue could not take the message.</summary>
    Queue,
}
