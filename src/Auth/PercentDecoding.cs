using System.Text;

namespace MailerQ.Www.Auth;

/// <summary>
/// Strict RFC 3986 section 2.1 percent-decoding for the parts of a <c>www-auth</c> URL (user names,
/// passwords, secrets): every <c>%</c> must start a two-digit hex escape and the result must be UTF-8.
/// <see cref="Uri.UnescapeDataString(string)"/> would pass <c>%zz</c> through silently.
/// </summary>
internal static class PercentDecoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes <paramref name="text"/>; false (with a reason that never quotes the text) when malformed.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out string decoded, out string? problem)
    {
        decoded = string.Empty;
        problem = null;
        if (text.IndexOf('%') < 0)
        {
            decoded = text.ToString();
            return true;
        }

        var bytes = new List<byte>(text.Length);
        Span<byte> one = stackalloc byte[4];
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length || !IsHex(text[i + 1]) || !IsHex(text[i + 2]))
                {
                    problem = "a '%' is not followed by two hex digits";
                    return false;
                }
                bytes.Add((byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2])));
                i += 2;
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length)
            {
                int n = Encoding.UTF8.GetBytes(text.Slice(i, 2), one);
                for (int k = 0; k < n; k++) bytes.Add(one[k]);
                i++;
            }
            else
            {
                int n = Encoding.UTF8.GetBytes(text.Slice(i, 1), one);
                for (int k = 0; k < n; k++) bytes.Add(one[k]);
            }
        }

        try
        {
            decoded = StrictUtf8.GetString(bytes.ToArray());
            return true;
        }
        catch (DecoderFallbackException)
        {
            problem = "a percent-escape does not decode to UTF-8";
            return false;
        }
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
