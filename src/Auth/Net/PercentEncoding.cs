using System.Text;

namespace MailerQ.Www.Auth.Net;

/// <summary>
/// Percent-decoding (RFC 3986 §2.1) of URL parts that may carry reserved characters, such as a RADIUS
/// secret with <c>@</c> or <c>:</c>, or a base DN with a space. Strict: a <c>%</c> that is not followed
/// by two hex digits is a config error, so an operator learns to write <c>%25</c> instead of having a
/// secret silently changed.
/// </summary>
internal static class PercentEncoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes <paramref name="text"/>; the decoded bytes must be valid UTF-8.</summary>
    public static bool TryDecode(string text, out string decoded)
    {
        decoded = text;
        int percent = text.IndexOf('%', StringComparison.Ordinal);
        if (percent < 0)
            return true;

        try
        {
            return TryDecodeFrom(text, percent, out decoded);
        }
        catch (ArgumentException)
        {
            // Encoder/DecoderFallbackException: a lone surrogate in the text or invalid UTF-8 once decoded.
            decoded = text;
            return false;
        }
    }

    private static bool TryDecodeFrom(string text, int percent, out string decoded)
    {
        decoded = text;
        var bytes = new byte[StrictUtf8.GetMaxByteCount(text.Length)];
        int n = StrictUtf8.GetBytes(text.AsSpan(0, percent), bytes);
        int i = percent;
        while (i < text.Length)
        {
            if (text[i] == '%')
            {
                if (i + 2 >= text.Length || HexValue(text[i + 1]) < 0 || HexValue(text[i + 2]) < 0)
                    return false;
                bytes[n++] = (byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2]));
                i += 3;
                continue;
            }
            int next = text.IndexOf('%', i);
            if (next < 0) next = text.Length;
            n += StrictUtf8.GetBytes(text.AsSpan(i, next - i), bytes.AsSpan(n));
            i = next;
        }
        decoded = StrictUtf8.GetString(bytes, 0, n);
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
