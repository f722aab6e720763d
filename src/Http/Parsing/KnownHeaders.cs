using System.Text;

namespace MailerQ.Www.Http.Parsing;

/// <summary>Recognises a <see cref="KnownHeader"/> from field-name bytes without allocating.</summary>
internal static class KnownHeaders
{
    /// <summary>How many <see cref="KnownHeader"/> values there are.</summary>
    public const int Count = (int)KnownHeader.XRequestedWith + 1;

    /// <summary>Field names are case-insensitive (RFC 9110 §5.1), so compare ignoring ASCII case.
    /// The switch on length makes a miss cost one comparison of lengths.</summary>
    public static bool TryLookup(ReadOnlySpan<byte> name, out KnownHeader header)
    {
        switch (name.Length)
        {
            case 4:
                return Is(name, "host"u8, KnownHeader.Host, out header);
            case 6:
                return Is(name, "accept"u8, KnownHeader.Accept, out header)
                    || Is(name, "cookie"u8, KnownHeader.Cookie, out header)
                    || Is(name, "origin"u8, KnownHeader.Origin, out header)
                    || Is(name, "expect"u8, KnownHeader.Expect, out header);
            case 7:
                return Is(name, "referer"u8, KnownHeader.Referer, out header)
                    || Is(name, "upgrade"u8, KnownHeader.Upgrade, out header);
            case 10:
                return Is(name, "connection"u8, KnownHeader.Connection, out header)
                    || Is(name, "user-agent"u8, KnownHeader.UserAgent, out header);
            case 12:
                return Is(name, "content-type"u8, KnownHeader.ContentType, out header)
                    || Is(name, "x-csrf-token"u8, KnownHeader.XCsrfToken, out header);
            case 13:
                return Is(name, "authorization"u8, KnownHeader.Authorization, out header)
                    || Is(name, "if-none-match"u8, KnownHeader.IfNoneMatch, out header);
            case 14:
                return Is(name, "content-length"u8, KnownHeader.ContentLength, out header);
            case 15:
                return Is(name, "accept-encoding"u8, KnownHeader.AcceptEncoding, out header);
            case 16:
                return Is(name, "x-requested-with"u8, KnownHeader.XRequestedWith, out header);
            case 17:
                return Is(name, "transfer-encoding"u8, KnownHeader.TransferEncoding, out header)
                    || Is(name, "if-modified-since"u8, KnownHeader.IfModifiedSince, out header)
                    || Is(name, "sec-websocket-key"u8, KnownHeader.SecWebSocketKey, out header);
            case 21:
                return Is(name, "sec-websocket-version"u8, KnownHeader.SecWebSocketVersion, out header);
            case 22:
                return Is(name, "sec-websocket-protocol"u8, KnownHeader.SecWebSocketProtocol, out header);
            default:
                header = default;
                return false;
        }
    }

    private static bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> lowerCase, KnownHeader candidate, out KnownHeader header)
    {
        header = candidate;
        return Ascii.EqualsIgnoreCase(name, lowerCase);
    }
}
