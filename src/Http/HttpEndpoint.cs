using System.Net;
using System.Net.Security;
using MailerQ.Www.Http.Routing;

namespace MailerQ.Www.Http;

/// <summary>One address the server listens on, plain or TLS.</summary>
internal sealed class HttpEndpoint(IPEndPoint endPoint)
{
    /// <summary>The address and port to bind; <see cref="IPAddress.IPv6Any"/> means every address, dual-stack.</summary>
    public IPEndPoint EndPoint { get; } = endPoint;

    /// <summary>
    /// When set, connections on this endpoint are TLS. Called for every handshake so a reloaded
    /// certificate applies to new connections without touching open ones.
    /// </summary>
    public Func<SslServerAuthenticationOptions>? TlsOptions { get; init; }

    /// <summary>Handles this endpoint's requests instead of the server's application (the plain port's
    /// HTTPS redirect).</summary>
    public HttpHandler? Application { get; init; }

    /// <summary>Header lines (<c>Name: value\r\n</c>) sent with every response on this endpoint, such as
    /// Strict-Transport-Security on HTTPS when the plain port redirects.</summary>
    public byte[] ResponseHeaders { get; init; } = [];

    /// <summary>Whether connections on this endpoint are TLS.</summary>
    public bool IsTls => TlsOptions is not null;

    public override string ToString() => (IsTls ? "https://" : "http://") + EndPoint;
}
