using System.Buffers.Text;
using System.Text;

namespace MailerQ.Www.Smtp.Client;

/// <summary>
/// Builds one command line in a span the caller sized with <see cref="Bound"/> (the pipe's buffer), so commands
/// go to the socket without an intermediate string.
/// </summary>
internal ref struct CommandLineWriter(Span<byte> span)
{
    private readonly Span<byte> _span = span;

    public int Length { get; private set; }

    public readonly ReadOnlySpan<byte> Written => _span[..Length];

    /// <summary>Octets a command can take: the fixed text plus the worst case (xtext, 3 octets per UTF-8 octet) of its strings.</summary>
    public static int Bound(params ReadOnlySpan<string?> texts)
    {
        int bound = 128;
        foreach (var text in texts)
        {
            if (text is not null)
                bound += 3 * Encoding.UTF8.GetMaxByteCount(text.Length);
        }
        return bound;
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_span[Length..]);
        Length += bytes.Length;
    }

    public void AppendUtf8(string text) => Length += Encoding.UTF8.GetBytes(text, _span[Length..]);

    public void AppendNumber(long value)
    {
        Utf8Formatter.TryFormat(value, _span[Length..], out int written);
        Length += written;
    }

    /// <summary>RFC 3461 section 4: "!" to "~" except "+" and "=" as they are, everything else as "+HH" (UTF-8 octets).</summary>
    public void AppendXText(string text)
    {
        Span<byte> one = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            int n = rune.EncodeToUtf8(one);
            for (int i = 0; i < n; i++)
            {
                byte b = one[i];
                if (b is >= (byte)'!' and <= (byte)'~' and not (byte)'+' and not (byte)'=')
                {
                    _span[Length++] = b;
                }
                else
                {
                    _span[Length++] = (byte)'+';
                    _span[Length++] = (byte)"0123456789ABCDEF"[b >> 4];
                    _span[Length++] = (byte)"0123456789ABCDEF"[b & 0xF];
                }
            }
        }
    }
}
