using System.Buffers;

namespace MailerQ.Www.Smtp.Client;

/// <summary>
/// DATA's transparency procedure for the sending side (RFC 5321 section 4.5.2): a dot at the start of a line
/// is doubled, a bare LF becomes CRLF (section 2.3.8 forbids it on the wire; RFC 5321 servers may refuse it,
/// ours does), and <see cref="Finish"/> makes sure the message ends in CRLF before the terminating ".CRLF".
/// A CR not followed by LF is passed through unchanged. Works on chunks: the state carries over, so the
/// MIME can be fed in slices between flushes.
/// </summary>
internal struct DotStuffer
{
    private static readonly SearchValues<byte> Special = SearchValues.Create("\r\n"u8);

    private bool _midLine;
    private bool _afterCr;

    /// <summary>Octets written so far, line endings and stuffing included.</summary>
    public long Written { get; private set; }

    public void Write(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        while (!input.IsEmpty)
        {
            if (!_midLine)
            {
                if (input[0] == (byte)'.')
                    Put(output, "."u8);
                _midLine = true;
            }
            int at = input.IndexOfAny(Special);
            if (at < 0)
            {
                Put(output, input);
                _afterCr = false;
                return;
            }
            if (input[at] == (byte)'\r')
            {
                Put(output, input[..(at + 1)]);
                _afterCr = true;
                input = input[(at + 1)..];
                continue;
            }
            // LF: the end of a CRLF when the CR came right before it (possibly in the previous chunk); any
            // earlier CR would have been found first, so otherwise it is a bare LF to repair.
            if (at == 0 && _afterCr)
            {
                Put(output, "\n"u8);
            }
            else
            {
                Put(output, input[..at]);
                Put(output, "\r\n"u8);
            }
            _afterCr = false;
            _midLine = false;
            input = input[(at + 1)..];
        }
    }

    /// <summary>Ends the data: CRLF if the last line is open, then ".CRLF".</summary>
    public void Finish(IBufferWriter<byte> output)
    {
        if (_midLine)
            Put(output, _afterCr ? "\n"u8 : "\r\n"u8);
        Put(output, ".\r\n"u8);
        _midLine = false;
        _afterCr = false;
    }

    private void Put(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        output.Write(bytes);
        Written += bytes.Length;
    }
}
