using System.Net;

namespace MailerQ.Www.Smtp;

/// <summary>One listening address: plain (with STARTTLS when a certificate is set) or implicit TLS (<c>smtp-secure-port</c>, RFC 8314).</summary>
internal sealed record SmtpEndpoint(IPEndPoint EndPoint, bool ImplicitTls);
