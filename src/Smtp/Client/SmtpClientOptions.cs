using System.Net;
using System.Net.Security;
using MailerQ.Www.Smtp.Sessions;
using MailerQ.Www.Core.Sessions;

namespace MailerQ.Www.Smtp.Client;

/// <summary>
/// Everything one outbound connection needs. Timeouts default to RFC 5321 section 4.5.3.2 where it names a
/// value and to Postfix's <c>smtp_*_timeout</c> defaults where it does not.
/// </summary>
internal sealed class SmtpClientOptions
{
    /// <summary>Our name in EHLO/HELO (MailerQ's <c>mtanames</c> per local IP).</summary>
    public string HeloName { get; set; } = System.Net.Dns.GetHostName();

    /// <summary>Source address to bind; null lets the OS choose.</summary>
    public IPAddress? LocalAddress { get; set; }

    public DeliverySecurity Security { get; set; } = DeliverySecurity.Optional;

    /// <summary>Smarthost credentials: AUTH PLAIN, else LOGIN; only over TLS unless the peer is loopback.</summary>
    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>Postfix's smtp_connect_timeout.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>RFC 5321 section 4.5.3.2.1: initial 220 message, 5 minutes.</summary>
    public TimeSpan GreetingTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Not in RFC 5321; Postfix's smtp_helo_timeout (300 s).</summary>
    public TimeSpan EhloTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The STARTTLS reply and the handshake; Postfix's smtp_starttls_timeout (300 s).</summary>
    public TimeSpan StartTlsTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>RFC 5321 section 4.5.3.2.2: MAIL, 5 minutes (also used for AUTH and RSET).</summary>
    public TimeSpan MailTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>RFC 5321 section 4.5.3.2.3: RCPT, 5 minutes.</summary>
    public TimeSpan RcptTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>RFC 5321 section 4.5.3.2.4: DATA initiation (the 354), 2 minutes.</summary>
    public TimeSpan DataTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>RFC 5321 section 4.5.3.2.5: each write of message data, 3 minutes.</summary>
    public TimeSpan DataBlockTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>RFC 5321 section 4.5.3.2.6: the reply to the final dot, 10 minutes.</summary>
    public TimeSpan DataEndTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Not in RFC 5321; Postfix's smtp_quit_timeout (300 s).</summary>
    public TimeSpan QuitTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Replaces the system's certificate check (tests trust a private CA with it). Its answer decides
    /// <see cref="DeliverySecurity.Verified"/> and the <c>verified</c> flag of the reported cipher.
    /// </summary>
    public RemoteCertificateValidationCallback? CertificateValidation { get; set; }

    /// <summary>Every byte in and out, after TLS decryption, under the session id the console lists.</summary>
    public ISmtpTrace Trace { get; set; } = NullSmtpTrace.Instance;

    /// <summary>The console's session list; outbound sessions appear with direction <c>out</c>. Null = not listed.</summary>
    public RecentSessions? Sessions { get; set; }

    public TimeProvider Time { get; set; } = TimeProvider.System;
}
