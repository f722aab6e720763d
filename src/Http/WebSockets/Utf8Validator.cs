using System.Text.Unicode;

namespace MailerQ.Www.Http.WebSockets;

/// <summary>
/// Checks UTF-8 that arrives in pieces (text fragments split anywhere, even inside a character), and
/// fails as soon as a byte cannot be part of valid UTF-8 (RFC 6455 §8.1 asks to fail the connection
/// then; §5.6: a text message is UTF-8 as a whole, fragments need not be). <see cref="Utf8.IsValid"/>
/// checks the bulk; only the few bytes around piece boundaries go through the byte state machine,
/// which is RFC 3629 §4's grammar: it tracks how many continuation bytes are due and the range the
/// next one must fall in (that range rules out overlongs, surrogates and code points over U+10FFFF).
/// </summary>
internal struct Utf8Validator
{
    private int _pending;  // continuation bytes still due
    private byte _low;     // allowed range of the next continuation byte
    private byte _high;

    /// <summary>True when the bytes so far end on a character boundary.</summary>
    public readonly bool IsComplete => _pending == 0;

    public void Reset() => this = default;

    /// <summary>Feeds the next piece; false once the bytes can no longer be valid UTF-8.</summary>
    public bool Append(ReadOnlySpan<byte> bytes)
    {
        // Finish a character left open by the previous piece.
        while (_pending > 0)
        {
            if (bytes.IsEmpty) return true;
            if (!Step(bytes[0])) return false;
            bytes = bytes[1..];
        }
        // Bulk check up to the start of a character the piece cuts off, then step through that tail.
        int cut = IncompleteTailStart(bytes);
        if (!Utf8.IsValid(bytes[..cut])) return false;
        foreach (byte b in bytes[cut..])
        {
            if (!Step(b)) return false;
        }
        return true;
    }

    /// <summary>Where a character that the end of <paramref name="bytes"/> cuts off begins (or the length).</summary>
    private static int IncompleteTailStart(ReadOnlySpan<byte> bytes)
    {
        // A character is at most 4 bytes, so only the last 3 can start an unfinished one.
        for (int i = bytes.Length - 1; i >= 0 && i >= bytes.Length - 3; i--)
        {
            byte b = bytes[i];
            if (b < 0x80) return bytes.Length;
            if (b >= 0xC0)
            {
                int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                return bytes.Length - i < needed ? i : bytes.Length;
            }
        }
        return bytes.Length;
    }

    private bool Step(byte b)
    {
        if (_pending > 0)
        {
            if (b < _low || b > _high) return false;
            _pending--;
            _low = 0x80;
            _high = 0xBF;
            return true;
        }
        // RFC 3629 §4: UTF8-1 .. UTF8-4 with the restricted second bytes.
        (_pending, _low, _high) = b switch
        {
            < 0x80 => (0, (byte)0, (byte)0),
            >= 0xC2 and <= 0xDF => (1, (byte)0x80, (byte)0xBF),
            0xE0 => (2, (byte)0xA0, (byte)0xBF),
            (>= 0xE1 and <= 0xEC) or 0xEE or 0xEF => (2, (byte)0x80, (byte)0xBF),
            0xED => (2, (byte)0x80, (byte)0x9F),
            0xF0 => (3, (byte)0x90, (byte)0xBF),
            >= 0xF1 and <= 0xF3 => (3, (byte)0x80, (byte)0xBF),
            0xF4 => (3, (byte)0x80, (byte)0x8F),
            _ => (-1, (byte)0, (byte)0),
        };
        if (_pending < 0)
        {
            _pending = 0;
            return false;
        }
        return true;
    }
}
