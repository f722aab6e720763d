using System.Net.Security;
using System.Security.Authentication;

namespace MailerQ.Www.Core.Tests.Tls;

/// <summary>What the SslStream server saw of one client's handshake.</summary>
internal sealed record HandshakeOutcome(
    Exception? Error, SslProtocols Protocol, TlsCipherSuite CipherSuite, SslApplicationProtocol ApplicationProtocol)
{
    public bool Succeeded => Error is null;
}
