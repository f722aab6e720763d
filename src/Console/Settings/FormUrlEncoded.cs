using System.Buffers;
using System.Text;

namespace MailerQ.Www.Console.Settings;

/// <summary>
/// <c>application/x-www-form-urlencoded</c> (WHATWG URL §5.1), for REST v1 form bodies and query strings:
/// <c>&amp;</c>-separated <c>name=value</c> pairs, <c>+</c> is a space, <c>%XX</c> a byte, the result UTF-8.
/// A bad escape or invalid UTF-8 is an error rather than a guess.
/// </summary>
internal static class FormUrlEncoded
{
    public static bool TryParse(ReadOnlySpan<byte> input, out List<KeyValuePair<string, string>> pairs)
    {
        pairs = [];
        while (!input.IsEmpty)
        {
            int amp = input.IndexOf((byte)'&');
            var pair = amp < 0 ? input : input[..amp];
            input = amp < 0 ? default : input[(amp + 1)..];
            if (pair.IsEmpty) continue;
            int eq = pair.IndexOf((byte)'=');
            var name = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? default : pair[(eq + 1)..];
            if (!TryDecode(name, out var n) || !TryDecode(value, out var v)) return false;
            pairs.Add(new(n, v));
        }
        return true;
    }

    /// <summary>Percent-decodes one component (<c>+</c> = space).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, out string text)
    {
        text = "";
        if (encoded.IsEmpty) return true;
        byte[] rented = ArrayPool<byte>.Shared.Rent(encoded.Length);
        try
        {
            int n = 0;
            for (int i = 0; i < encoded.Length; i++)
            {
                byte b = encoded[i];
                if (b == (byte)'+') b = (byte)' ';
                else if (b == (byte)'%')
                {
                    if (i + 2 >= encoded.Length || !IsHex(encoded[i + 1]) || !IsHex(encoded[i + 2])) return false;
                    b = (byte)((Hex(encoded[i + 1]) << 4) | Hex(encoded[i + 2]));
                    i += 2;
                }
                rented[n++] = b;
            }
            try
            {
                text = new UTF8Encoding(false, true).GetString(rented, 0, n);
                return true;
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool IsHex(byte b) => (uint)(b - '0') <= 9 || (uint)((b | 0x20) - 'a') <= 5;

    private static int Hex(byte b) => (uint)(b - '0') <= 9 ? b - '0' : (b | 0x20) - 'a' + 10;
}
