using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace MailerQ.Www.Core.Tls;

/// <summary>The SslStream server options for the console: build once at startup, share across connections.</summary>
internal static class TlsServerOptionsFactory
{
    /// <param name="certificate">From <see cref="PemCertificateLoader"/>.</param>
    /// <param name="cipherSuites">From <see cref="OpenSslCipherList.TryResolve"/>, TLS 1.3 suites included.</param>
    /// <remarks>
    /// No session resumption, measured on .NET 10 / OpenSSL 3.0: .NET on Linux caches its SSL_CTX (which holds the
    /// server session cache and ticket keys) per certificate context only when <c>CipherSuitesPolicy</c> is null.
    /// With a policy, which the contract's exact <c>www-ciphers</c> requires, each connection gets its own SSL_CTX
    /// with caching and tickets off, so every TLS 1.2 and 1.3 connection is a full handshake and
    /// <see cref="SslServerAuthenticationOptions.AllowTlsResume"/> has no effect. Without a policy .NET would resume,
    /// but with its own default cipher list instead of the configured one.
    /// <para>
    /// Two more .NET-on-Linux facts the handshake tests pin: the server's order wins (.NET sets
    /// SSL_OP_CIPHER_SERVER_PREFERENCE), so <c>@STRENGTH</c> and the list order matter; and DHE suites stay in
    /// the policy but are never negotiated, because .NET gives OpenSSL no DH parameters. Every client that offers
    /// a DHE suite also offers ECDHE ones, so this only bites a client restricted to DHE.
    /// </para>
    /// </remarks>
    public static SslServerAuthenticationOptions Create(SslStreamCertificateContext certificate, IReadOnlyList<TlsCipherSuite>? cipherSuites)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        // CipherSuitesPolicy exists on Linux and macOS only; the cipher list itself comes from libssl.so.3.
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("www-ciphers needs OpenSSL; this server runs on Linux");
        // No www-ciphers: OpenSSL's own defaults, and .NET then also keeps session resumption (see remarks).

        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = certificate,
            // Contract: TLS 1.2 and 1.3 only.
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CipherSuitesPolicy = cipherSuites is null ? null : new CipherSuitesPolicy(cipherSuites),
            // RFC 7301 section 3.2: a client that offers ALPN without http/1.1 gets no_application_protocol.
            // A client that sends no ALPN is unaffected.
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            // Client-initiated renegotiation is a DoS lever (CVE-2011-1473) and HTTP/1.1 here never needs it.
            AllowRenegotiation = false,
            // The default, kept so resumption starts working if .NET ever caches SSL_CTX with a cipher policy (see remarks).
            AllowTlsResume = true,
        };
    }
}
