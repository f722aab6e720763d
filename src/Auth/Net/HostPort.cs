using System.Globalization;

namespace MailerQ.Www.Auth.Net;

/// <summary>
/// One <c>host[:port]</c> from a URL authority (RFC 3986 §3.2.2): a name, an IPv4 address or a bracketed
/// IPv6 literal. <see cref="Host"/> holds the name without brackets, as sockets and TLS want it.
/// </summary>
internal readonly record struct HostPort(string Host, int Port)
{
    /// <summary>Parses <paramref name="text"/>; a missing port means <paramref name="defaultPort"/>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, int defaultPort, out HostPort value, out string? error)
    {
        value = default;
        error = null;
        ReadOnlySpan<char> host;
        ReadOnlySpan<char> port = default;
        bool hasPort = false;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']');
            if (close < 0) { error = "IPv6 address without closing ']'"; return false; }
            host = text[1..close];
            var rest = text[(close + 1)..];
            if (!rest.IsEmpty)
            {
                if (rest[0] != ':') { error = "unexpected text after ']'"; return false; }
                port = rest[1..];
                hasPort = true;
            }
            if (!System.Net.IPAddress.TryParse(host, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                error = "bad IPv6 address";
                return false;
            }
        }
        else
        {
            int colon = text.IndexOf(':');
            if (colon >= 0)
            {
                host = text[..colon];
                port = text[(colon + 1)..];
                hasPort = true;
            }
            else
            {
                host = text;
            }
            if (!IsHostName(host)) { error = host.IsEmpty ? "missing host" : "bad host name"; return false; }
        }

        int portNumber = defaultPort;
        if (hasPort && !(int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out portNumber) && portNumber is > 0 and <= 65535))
        {
            error = "bad port (1-65535)";
            return false;
        }
        value = new HostPort(host.ToString(), portNumber);
        return true;
    }

    /// <summary>RFC 3986 reg-name restricted to what DNS and IPv4 use: letters, digits, '-', '.', '_'.</summary>
    private static bool IsHostName(ReadOnlySpan<char> host)
    {
        if (host.IsEmpty || host.Length > 253)
            return false;
        foreach (char c in host)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
                return false;
        }
        return true;
    }

    /// <summary><c>host:port</c>, bracketing IPv6 literals.</summary>
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"[{Host}]:{Port}")
            : string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");
}
