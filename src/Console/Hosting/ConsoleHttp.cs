using System.Net;
using System.Net.Sockets;
using MailerQ.Www.Core.Config;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Core.Tls;
using MailerQ.Www.Http;
using MailerQ.Www.Http.Routing;
using MailerQ.Www.Http.Redirects;

namespace MailerQ.Www.Console.Hosting;

/// <summary>The console's HTTP server: the plain port (redirecting when HTTPS is on too), the HTTPS port with HSTS.</summary>
internal static class ConsoleHttp
{
    /// <summary>HSTS for one year once HTTPS is the only way in (RFC 6797); only sent when the plain port redirects.</summary>
    private static readonly byte[] StrictTransportSecurity = "Strict-Transport-Security: max-age=31536000\r\n"u8.ToArray();

    public static HttpServer Build(WwwSettings www, TlsCertificateSource? tls, HttpHandler application)
    {
        var options = new HttpServerOptions { MaxConnections = www.Connections };
        var address = www.Ip ?? (Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any);
        if (www.SecurePort is int securePort && tls is not null)
        {
            var source = tls;
            options.Endpoints.Add(new HttpEndpoint(new IPEndPoint(address, securePort))
            {
                TlsOptions = () => source.Current,
                ResponseHeaders = www.Port is not null ? StrictTransportSecurity : [],
            });
        }
        if (www.Port is int port)
        {
            // MailerQ 5.x: with both ports set, the plain one only redirects to HTTPS.
            var redirect = www.SecurePort is int sp ? new HttpsRedirector(sp, www.Host ?? Dns.GetHostName()) : null;
            options.Endpoints.Insert(0, new HttpEndpoint(new IPEndPoint(address, port)) { Application = redirect is null ? null : redirect.HandleAsync });
        }
        if (options.Endpoints.Count == 0)
            Log.Warning("mailerq", "console disabled: www-port is 0 or empty and www-secure-port is unset");
        return new HttpServer(options, application);
    }
}
