using System.Text;

namespace MailerQ.Www.Console.Api;

/// <summary>
/// The last segment of a path as an item name (<c>/api/domains/{name}</c>): percent-decoded UTF-8 (RFC 3986 §2.1;
/// <c>+</c> stays a plus, unlike in a query). Refused: empty, longer than 255 bytes decoded, a <c>/</c> left
/// undecoded (a deeper path), broken escapes, invalid UTF-8, control characters.
/// </summary>
internal static class PathSegment
{
    /// <summary>Domain names are at most 255 octets (RFC 1035 §2.3.4); tags and IPs are shorter in practice.</summary>
    public const int MaxBytes = 255;

    public static bool TryDecode(ReadOnlySpan<byte> raw, out string value)
    {
        value = "";
        if (raw.IsEmpty || raw.Length > MaxBytes * 3 || raw.IndexOf((byte)'/') >= 0) return false;
        Span<byte> decoded = stackalloc byte[raw.Length];
        int n = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            byte b = raw[i];
            if (b == '%')
            {
                if (i + 2 >= raw.Length || !char.IsAsciiHexDigit((char)raw[i + 1]) || !char.IsAsciiHexDigit((char)raw[i + 2])) return false;
                b = (byte)(Hex(raw[i + 1]) << 4 | Hex(raw[i + 2]));
                i += 2;
            }
            decoded[n++] = b;
        }
        if (n > MaxBytes) return false;
        try
        {
            value = new UTF8Encoding(false, true).GetString(decoded[..n]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        return value.Length > 0 && !value.AsSpan().ContainsAnyInRange('\0', '\x1f') && !value.Contains('\x7f', StringComparison.Ordinal);
    }

    private static int Hex(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
