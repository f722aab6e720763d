namespace MailerQ.Www.Http.Parsing;

/// <summary>
/// Validates <c>uri-host [ ":" port ]</c> (RFC 9110 §7.2, RFC 3986 §3.2.2–3.2.3) for the Host field and
/// the authority of absolute- and authority-form targets. RFC 9112 §3.2: a Host "with an invalid field
/// value" gets 400. The redirect to HTTPS copies this host into Location, so it must be clean.
/// </summary>
internal static class HostSyntax
{
    /// <summary>The longest port we accept: 65535 has five digits.</summary>
    private const int MaxPortDigits = 5;

    /// <summary>True when <paramref name="host"/> is empty (allowed for Host, RFC 9110 §7.2) or a valid
    /// host with an optional port. userinfo ('@') is not accepted (RFC 9110 §4.2.4: treat it as an error).</summary>
    public static bool IsValid(ReadOnlySpan<byte> host)
    {
        if (host.IsEmpty)
            return true;

        ReadOnlySpan<byte> port;
        if (host[0] == (byte)'[')
        {
            int close = host.IndexOf((byte)']');
            if (close < 2 || host[1..close].IndexOfAnyExcept(HttpCharacters.IpLiteral) >= 0)
                return false;
            var rest = host[(close + 1)..];
            if (rest.IsEmpty)
                return true;
            if (rest[0] != (byte)':')
                return false;
            port = rest[1..];
        }
        else
        {
            int colon = host.IndexOf((byte)':');
            var name = colon < 0 ? host : host[..colon];
            if (name.IsEmpty || name.IndexOfAnyExcept(HttpCharacters.RegName) >= 0)
                return false;
            if (colon < 0)
                return true;
            port = host[(colon + 1)..];
        }

        // port = *DIGIT (RFC 3986 §3.2.3): an empty port after ':' is allowed.
        return port.Length <= MaxPortDigits && port.IndexOfAnyExcept(HttpCharacters.Digits) < 0;
    }
}
