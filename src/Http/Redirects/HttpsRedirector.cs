using System.Buffers.Text;
using System.Text;
using MailerQ.Www.Http.Parsing;

namespace MailerQ.Www.Http.Redirects;

/// <summary>
/// The plain port's only answer when HTTPS is on too (contract, MailerQ 5.x): every request,
/// <c>/healthz</c> and <c>/ws</c> included, gets <c>301</c> (GET/HEAD) or <c>308</c> (others, so the
/// method and body are kept, RFC 9110 §15.4.9) to <c>https://host[:secure-port]/path?query</c>.
/// </summary>
/// <remarks>
/// The host is the request's own Host header host (already validated by the parser's HostSyntax, so
/// no CR/LF or userinfo can reach Location), or <c>www-host</c> when the request has none. It is never
/// taken from anywhere else, so the redirect cannot send a browser to a foreign host. The path and
/// query are copied byte for byte from the request line.
/// </remarks>
internal sealed class HttpsRedirector
{
    private readonly int _securePort;
    private readonly byte[] _fallbackHost;

    public HttpsRedirector(int securePort, string fallbackHost)
    {
        _securePort = securePort;
        _fallbackHost = Encoding.ASCII.GetBytes(fallbackHost);
    }

    public ValueTask HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var host = HostWithoutPort(request.TargetForm == RequestTargetForm.Absolute ? request.Authority : request.Host);
        if (host.IsEmpty || !HostSyntax.IsValid(host)) host = _fallbackHost;

        var target = request.TargetForm switch
        {
            RequestTargetForm.Origin => request.Target,
            RequestTargetForm.Absolute => PathAndQuery(request.Target),
            _ => "/"u8,
        };

        int length = "https://"u8.Length + host.Length + 7 + target.Length;
        byte[]? rented = null;
        Span<byte> location = length <= 1024 ? stackalloc byte[length] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length));
        try
        {
            int n = 0;
            "https://"u8.CopyTo(location);
            n += 8;
            host.CopyTo(location[n..]);
            n += host.Length;
            if (_securePort != 443)
            {
                location[n++] = (byte)':';
                Utf8Formatter.TryFormat(_securePort, location[n..], out int written);
                n += written;
            }
            // An absolute-form target with a query but no path ("http://h?q") still needs the "/".
            if (target.IsEmpty || target[0] != (byte)'/') location[n++] = (byte)'/';
            target.CopyTo(location[n..]);
            n += target.Length;

            response.StatusCode = request.Method is HttpMethod.Get or HttpMethod.Head ? 301 : 308;
            response.AddHeader("Location"u8, location[..n]);
        }
        finally
        {
            if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary><c>example.com:80</c> → <c>example.com</c>; <c>[::1]:8485</c> → <c>[::1]</c>.</summary>
    internal static ReadOnlySpan<byte> HostWithoutPort(ReadOnlySpan<byte> authority)
    {
        if (authority.IsEmpty) return authority;
        if (authority[0] == (byte)'[')
        {
            int close = authority.IndexOf((byte)']');
            return close < 0 ? default : authority[..(close + 1)];
        }
        int colon = authority.IndexOf((byte)':');
        return colon < 0 ? authority : authority[..colon];
    }

    /// <summary>The path and query of an absolute-form target (<c>http://h/p?q</c> → <c>/p?q</c>).</summary>
    private static ReadOnlySpan<byte> PathAndQuery(ReadOnlySpan<byte> target)
    {
        int scheme = target.IndexOf("://"u8);
        if (scheme < 0) return "/"u8;
        var rest = target[(scheme + 3)..];
        int slash = rest.IndexOfAny((byte)'/', (byte)'?');
        if (slash < 0) return "/"u8;
        return rest[slash..];
    }
}
