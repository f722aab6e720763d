namespace MailerQ.Www.Smtp.Client;

/// <summary>The EHLO keywords the client acts on (RFC 5321 section 4.1.1.1 and the extension RFCs).</summary>
[Flags]
internal enum SmtpExtensions
{
    None = 0,
    /// <summary>RFC 2920.</summary>
    Pipelining = 1 << 0,
    /// <summary>RFC 1870.</summary>
    Size = 1 << 1,
    /// <summary>RFC 6152.</summary>
    EightBitMime = 1 << 2,
    /// <summary>RFC 6531.</summary>
    SmtpUtf8 = 1 << 3,
    /// <summary>RFC 3461.</summary>
    Dsn = 1 << 4,
    /// <summary>RFC 3207.</summary>
    StartTls = 1 << 5,
    /// <summary>RFC 2034.</summary>
    EnhancedStatusCodes = 1 << 6,
    /// <summary>RFC 4954 with mechanism PLAIN (RFC 4616).</summary>
    AuthPlain = 1 << 7,
    /// <summary>RFC 4954 with mechanism LOGIN (draft-murchison-sasl-login).</summary>
    AuthLogin = 1 << 8,
}
