namespace MailerQ.Www.Smtp.Protocol;

/// <summary>Bounds on every input of a session, each with its source.</summary>
internal static class SmtpLimits
{
    /// <summary>RFC 5321 section 4.5.3.1.4: a command line is at most 512 octets including CRLF.</summary>
    public const int CommandLine = 512;

    /// <summary>RFC 5321 section 4.5.3.1.6: a text line is at most 1000 octets including CRLF.</summary>
    public const int TextLine = 1000;

    /// <summary>RFC 4954 section 4: a SASL response line may be up to 12288 octets.</summary>
    public const int AuthLine = 12288;

    /// <summary>Postfix's smtpd_recipient_limit; RFC 5321 section 4.5.3.1.8 requires at least 100.</summary>
    public const int Recipients = 1000;

    /// <summary>Postfix's smtpd_hard_error_limit: after this many errors the session is closed with 421.</summary>
    public const int Errors = 20;

    /// <summary>Failed AUTH attempts before the session is closed (slows password guessing per connection).</summary>
    public const int AuthFailures = 3;

    /// <summary>RFC 5321 section 4.5.3.1.3: a path is at most 256 octets.</summary>
    public const int Path = 256;

    /// <summary>How much of the message head is scanned for <c>x-mq-*</c> headers.</summary>
    public const int HeaderScan = 64 * 1024;

    /// <summary>Transcript lines kept per session for the console (bounded store).</summary>
    public const int TranscriptLines = 200;
}
