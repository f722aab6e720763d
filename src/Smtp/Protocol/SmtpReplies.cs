namespace MailerQ.Www.Smtp.Protocol;

/// <summary>
/// Fixed reply lines with enhanced status codes (RFC 3463, RFC 5248 registry). Replies that name the host
/// are built once per server in <see cref="SmtpServer"/>.
/// </summary>
internal static class SmtpReplies
{
    public static ReadOnlySpan<byte> Ok => "250 2.0.0 Ok\r\n"u8;
    public static ReadOnlySpan<byte> SenderOk => "250 2.1.0 Sender OK\r\n"u8;
    public static ReadOnlySpan<byte> RecipientOk => "250 2.1.5 Recipient OK\r\n"u8;
    public static ReadOnlySpan<byte> StartData => "354 End data with <CR><LF>.<CR><LF>\r\n"u8;
    public static ReadOnlySpan<byte> Bye => "221 2.0.0 Bye\r\n"u8;
    // RFC 5321 section 3.5.3: 252 when the server will not verify but will accept.
    public static ReadOnlySpan<byte> Vrfy => "252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery\r\n"u8;
    public static ReadOnlySpan<byte> Expn => "502 5.5.1 EXPN not supported\r\n"u8;
    public static ReadOnlySpan<byte> Help => "214 2.0.0 Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY STARTTLS AUTH (RFC 5321)\r\n"u8;
    public static ReadOnlySpan<byte> Unrecognized => "500 5.5.2 Command unrecognized\r\n"u8;
    public static ReadOnlySpan<byte> LineTooLong => "500 5.5.2 Line too long (RFC 5321 section 4.5.3.1.4: 512 octets)\r\n"u8;
    public static ReadOnlySpan<byte> BareCr => "500 5.5.2 Bare CR not allowed (RFC 5321 section 2.3.8)\r\n"u8;
    public static ReadOnlySpan<byte> Syntax => "501 5.5.4 Syntax error in parameters or arguments\r\n"u8;
    public static ReadOnlySpan<byte> HeloSyntax => "501 5.5.4 Syntax: EHLO hostname\r\n"u8;
    public static ReadOnlySpan<byte> PathTooLong => "501 5.5.4 Path too long (RFC 5321 section 4.5.3.1.3: 256 octets)\r\n"u8;
    public static ReadOnlySpan<byte> NoArguments => "501 5.5.4 No arguments allowed\r\n"u8;
    public static ReadOnlySpan<byte> BadSequence => "503 5.5.1 Bad sequence of commands\r\n"u8;
    public static ReadOnlySpan<byte> NeedHelo => "503 5.5.1 Send EHLO or HELO first\r\n"u8;
    public static ReadOnlySpan<byte> NestedMail => "503 5.5.1 Sender already specified\r\n"u8;
    public static ReadOnlySpan<byte> NeedMail => "503 5.5.1 Need MAIL before RCPT\r\n"u8;
    public static ReadOnlySpan<byte> NeedRcpt => "503 5.5.1 Need RCPT before DATA\r\n"u8;
    public static ReadOnlySpan<byte> NotImplemented => "502 5.5.1 Command not implemented\r\n"u8;
    public static ReadOnlySpan<byte> UnknownParameter => "555 5.5.4 Unsupported parameter\r\n"u8;
    public static ReadOnlySpan<byte> BadParameter => "501 5.5.4 Invalid parameter value\r\n"u8;
    public static ReadOnlySpan<byte> NeedsSmtpUtf8 => "553 5.6.7 Non-ASCII address needs SMTPUTF8 (RFC 6531)\r\n"u8;
    public static ReadOnlySpan<byte> SizeExceeded => "552 5.3.4 Message size exceeds fixed maximum message size\r\n"u8;
    public static ReadOnlySpan<byte> TooManyRecipients => "452 4.5.3 Too many recipients\r\n"u8;
    public static ReadOnlySpan<byte> RelayDenied => "550 5.7.1 Relay access denied\r\n"u8;
    public static ReadOnlySpan<byte> AuthRequired => "530 5.7.0 Authentication required\r\n"u8;
    public static ReadOnlySpan<byte> BareLineEnding => "554 5.6.0 Message refused: bare CR or LF (RFC 5321 section 2.3.8)\r\n"u8;
    public static ReadOnlySpan<byte> TextLineTooLong => "554 5.6.0 Message refused: line longer than 1000 octets (RFC 5321 section 4.5.3.1.6)\r\n"u8;
    public static ReadOnlySpan<byte> QueueFailed => "451 4.3.0 Temporary failure, please try again later\r\n"u8;
    public static ReadOnlySpan<byte> ReadyTls => "220 2.0.0 Ready to start TLS\r\n"u8;
    public static ReadOnlySpan<byte> AlreadyTls => "503 5.5.1 TLS already active\r\n"u8;
    public static ReadOnlySpan<byte> TlsFirst => "530 5.7.0 Must issue a STARTTLS command first\r\n"u8;
    public static ReadOnlySpan<byte> AlreadyAuthenticated => "503 5.5.1 Already authenticated\r\n"u8;
    public static ReadOnlySpan<byte> AuthInTransaction => "503 5.5.1 AUTH not allowed during a mail transaction\r\n"u8;
    public static ReadOnlySpan<byte> AuthOk => "235 2.7.0 Authentication successful\r\n"u8;
    public static ReadOnlySpan<byte> AuthFailed => "535 5.7.8 Authentication credentials invalid\r\n"u8;
    public static ReadOnlySpan<byte> AuthMechanism => "504 5.5.4 Unrecognized authentication type\r\n"u8;
    public static ReadOnlySpan<byte> AuthBase64 => "501 5.5.2 Cannot decode response\r\n"u8;
    public static ReadOnlySpan<byte> AuthCancelled => "501 5.7.0 Authentication cancelled\r\n"u8;
    public static ReadOnlySpan<byte> AuthContinue => "334 \r\n"u8;
    public static ReadOnlySpan<byte> AuthUserName => "334 VXNlcm5hbWU6\r\n"u8;
    public static ReadOnlySpan<byte> AuthPassword => "334 UGFzc3dvcmQ6\r\n"u8;
}
