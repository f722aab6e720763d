using System.Buffers;

namespace MailerQ.Www.Smtp.Protocol;

/// <summary>
/// DATA's transparency procedure (RFC 5321 section 4.5.2) as a byte state machine over the pipe: drops the
/// stuffed dot at line starts, stops after CRLF.CRLF, and writes runs of message bytes straight to the sink
/// (the only copy of the message). Only CRLF.CRLF ends the data: "LF.LF" or "LF.CRLF" do not, which closes
/// the SMTP smuggling hole; messages with bare CR or LF are refused after the end (<see cref="DataFault"/>).
/// The terminating ".CRLF" is not part of the message; its leading CRLF is.
/// </summary>
internal sealed class DotUnstuffer
{
    private static readonly SearchValues<byte> LineBytes = SearchValues.Create("\r\n"u8);

    private DotUnstufferState _state;
    private int _lineLength;
    private long _maxSize;

    public long Size { get; private set; }
    public DataFault Fault { get; private set; }
    public bool IsDone => _state == DotUnstufferState.Done;

    public void Reset(long maxSize)
    {
        _state = DotUnstufferState.LineStart;
        _lineLength = 0;
        _maxSize = maxSize;
        Size = 0;
        Fault = DataFault.None;
    }

    /// <summary>Consumes what it can; true when the end of data was reached (the reader stops right after it).</summary>
    public bool Decode(ref SequenceReader<byte> reader, IMessageSink sink)
    {
        while (!reader.End)
        {
            var span = reader.UnreadSpan;
            int used = Step(span, sink);
            reader.Advance(used);
            if (_state == DotUnstufferState.Done)
                return true;
        }
        return false;
    }

    /// <summary>Runs over one span; returns the bytes consumed (all, unless the end of data is inside).</summary>
    private int Step(ReadOnlySpan<byte> span, IMessageSink sink)
    {
        int i = 0;
        while (i < span.Length)
        {
            switch (_state)
            {
                case DotUnstufferState.LineStart:
                    _lineLength = 0;
                    if (span[i] == (byte)'.')
                    {
                        _state = DotUnstufferState.Dot;
                        i++;
                        continue;
                    }
                    _state = DotUnstufferState.InLine;
                    continue;

                case DotUnstufferState.InLine:
                {
                    // Fast path: one write for everything up to and including the next CRLF.
                    var rest = span[i..];
                    int at = rest.IndexOfAny(LineBytes);
                    if (at < 0)
                    {
                        Emit(rest, sink);
                        return span.Length;
                    }
                    if (rest[at] == (byte)'\r')
                    {
                        if (at + 1 < rest.Length && rest[at + 1] == (byte)'\n')
                        {
                            Emit(rest[..(at + 2)], sink, terminator: 2);
                            _state = DotUnstufferState.LineStart;
                            i += at + 2;
                            continue;
                        }
                        Emit(rest[..(at + 1)], sink);
                        _state = DotUnstufferState.InLineCr;
                        i += at + 1;
                        continue;
                    }
                    // Bare LF: kept, so the line count stays right, but the message will be refused.
                    Flag(DataFault.BareLineEnding);
                    Emit(rest[..(at + 1)], sink, terminator: 1);
                    _state = DotUnstufferState.LineStart;
                    i += at + 1;
                    continue;
                }

                case DotUnstufferState.InLineCr:
                    if (span[i] == (byte)'\n')
                    {
                        Emit("\n"u8, sink, terminator: 2);
                        _state = DotUnstufferState.LineStart;
                        i++;
                        continue;
                    }
                    Flag(DataFault.BareLineEnding);
                    _state = DotUnstufferState.InLine;
                    continue;

                case DotUnstufferState.Dot:
                    if (span[i] == (byte)'\r')
                    {
                        _state = DotUnstufferState.DotCr;
                        i++;
                        continue;
                    }
                    // The stuffed dot is dropped; the rest of the line is ordinary data.
                    _lineLength = 1;
                    _state = DotUnstufferState.InLine;
                    continue;

                case DotUnstufferState.DotCr:
                    if (span[i] == (byte)'\n')
                    {
                        _state = DotUnstufferState.Done;
                        return i + 1;
                    }
                    // ".\r" then something else: the dot was stuffing, the CR is bare.
                    Flag(DataFault.BareLineEnding);
                    Emit("\r"u8, sink);
                    _state = DotUnstufferState.InLine;
                    continue;

                default:
                    return i;
            }
        }
        return span.Length;
    }

    /// <param name="terminator">Octets of the line ending counted in this line (2 for CRLF, 1 for a bare LF), 0 inside a line.</param>
    private void Emit(ReadOnlySpan<byte> bytes, IMessageSink sink, int terminator = 0)
    {
        // The limit is 1000 octets including CRLF, so 998 before it.
        _lineLength += bytes.Length;
        // Mid-line a trailing CR may be half of the CRLF, so only 1000 octets without LF prove the line too long.
        if (terminator != 0 ? _lineLength - terminator > SmtpLimits.TextLine - 2 : _lineLength > SmtpLimits.TextLine - 1)
            Flag(DataFault.LineTooLong);
        if (terminator != 0)
            _lineLength = 0;

        Size += bytes.Length;
        if (Size > _maxSize)
        {
            Flag(DataFault.TooBig);
            return; // keep reading to the end, but stop filling the disk
        }
        if (Fault == DataFault.None)
            sink.Write(bytes);
    }

    private void Flag(DataFault fault)
    {
        if (Fault == DataFault.None)
            Fault = fault;
    }
}
