using System.Buffers.Text;
using System.Text;

namespace MailerQ.Www.Console.Api;

/// <summary>
/// Reads parameters of a request's query (<c>a=1&amp;b=x</c>, as browsers' URLSearchParams write it): the first
/// occurrence of a name wins; names are compared as sent.
/// </summary>
internal static class QueryString
{
    /// <summary>The raw (still percent-encoded) value of <paramref name="name"/>.</summary>
    public static bool TryGetRaw(ReadOnlySpan<byte> query, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        while (!query.IsEmpty)
        {
            int amp = query.IndexOf((byte)'&');
            var pair = amp < 0 ? query : query[..amp];
            query = amp < 0 ? default : query[(amp + 1)..];
            int eq = pair.IndexOf((byte)'=');
            var key = eq < 0 ? pair : pair[..eq];
            if (key.SequenceEqual(name))
            {
                value = eq < 0 ? default : pair[(eq + 1)..];
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>
    /// A decoded text value (<c>+</c> is a space, <c>%XX</c> bytes are UTF-8); null when absent or empty.
    /// False when the encoding is broken.
    /// </summary>
    public static bool TryGetText(ReadOnlySpan<byte> query, ReadOnlySpan<byte> name, out string? value)
    {
        value = null;
        if (!TryGetRaw(query, name, out var raw) || raw.IsEmpty) return true;
        if (raw.Length > 1024) return false;
        Span<byte> decoded = stackalloc byte[raw.Length];
        int n = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            byte b = raw[i];
            if (b == '+') b = (byte)' ';
            else if (b == '%')
            {
                if (i + 2 >= raw.Length || !IsHex(raw[i + 1]) || !IsHex(raw[i + 2])) return false;
                b = (byte)(HexValue(raw[i + 1]) << 4 | HexValue(raw[i + 2]));
                i += 2;
            }
            decoded[n++] = b;
        }
        try
        {
            value = new UTF8Encoding(false, true).GetString(decoded[..n]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        if (value.AsSpan().ContainsAnyInRange('\0', '\x1f')) return false;
        if (value.Length == 0) value = null;
        return true;
    }

    /// <summary>
    /// A decimal integer in <c>[min, max]</c>; <paramref name="fallback"/> when absent. False when malformed or
    /// out of range.
    /// </summary>
    public static bool TryGetInt(ReadOnlySpan<byte> query, ReadOnlySpan<byte> name, int fallback, int min, int max, out int value)
    {
        value = fallback;
        if (!TryGetRaw(query, name, out var raw)) return true;
        if (raw.IsEmpty || raw.Length > 9) return false;
        foreach (byte b in raw)
        {
            if (b is < (byte)'0' or > (byte)'9') return false;
        }
        if (!Utf8Parser.TryParse(raw, out int parsed, out int consumed) || consumed != raw.Length) return false;
        if (parsed < min || parsed > max) return false;
        value = parsed;
        return true;
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
