namespace MailerQ.Www.Smtp.Protocol;

/// <summary>
/// One declarative table of state → allowed commands (cosullivan/SmtpServer's SmtpStateTable). Guards that
/// depend on the session (STARTTLS needs a certificate and a plain channel, AUTH needs TLS and an
/// authenticator) are applied by the session on top; commands outside the table get 503 5.5.1.
/// </summary>
internal static class SmtpStateTable
{
    private const int Always = (1 << (int)SmtpCommandKind.Noop) | (1 << (int)SmtpCommandKind.Quit) | (1 << (int)SmtpCommandKind.Rset)
        | (1 << (int)SmtpCommandKind.Vrfy) | (1 << (int)SmtpCommandKind.Expn) | (1 << (int)SmtpCommandKind.Help);

    private const int Greeting = (1 << (int)SmtpCommandKind.Ehlo) | (1 << (int)SmtpCommandKind.Helo);

    private static readonly int[] Allowed =
    [
        // Connected: RFC 5321 section 4.1.4, a client must greet first; STARTTLS comes after EHLO (RFC 3207 section 4).
        Always | Greeting,
        // Ready
        Always | Greeting | Bit(SmtpCommandKind.Mail) | Bit(SmtpCommandKind.StartTls) | Bit(SmtpCommandKind.Auth),
        // Mail: EHLO/HELO reset the transaction (section 4.1.4).
        Always | Greeting | Bit(SmtpCommandKind.Rcpt),
        // Recipients
        Always | Greeting | Bit(SmtpCommandKind.Rcpt) | Bit(SmtpCommandKind.Data) | Bit(SmtpCommandKind.Bdat),
        // Chunking: RFC 3030 section 2 allows only BDAT, RSET and QUIT (NOOP is harmless).
        (1 << (int)SmtpCommandKind.Bdat) | (1 << (int)SmtpCommandKind.Rset) | (1 << (int)SmtpCommandKind.Quit) | (1 << (int)SmtpCommandKind.Noop),
    ];

    public static bool IsAllowed(SmtpState state, SmtpCommandKind command) => (Allowed[(int)state] & Bit(command)) != 0;

    private static int Bit(SmtpCommandKind kind) => 1 << (int)kind;
}
