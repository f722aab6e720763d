using System.Buffers;
using System.Text;

namespace MailerQ.Www.Smtp.Client;

/// <summary>
/// Reads one SMTP reply, single- or multi-line (RFC 5321 section 4.2), as a byte state machine over the pipe:
/// it can stop at any octet and resume with more input. The reply text is kept in one pooled buffer, bounded
/// by <see cref="SmtpClientLimits"/>; strings are made only when asked for.
/// </summary>
/// <remarks>
/// Lenient where real servers are sloppy (a bare LF ends a line, a last line may carry only the code), strict
/// where sloppiness would desynchronise the conversation (non-digit codes, a line whose code differs from the
/// first, lines or replies over the limits). One instance per connection; <see cref="Reset"/> between replies.
/// </remarks>
internal sealed class SmtpReplyParser : IDisposable
{
    private readonly int[] _lineStart = new int[SmtpClientLimits.ReplyLines];
    private readonly int[] _lineEnd = new int[SmtpClientLimits.ReplyLines];
    private byte[] _text = ArrayPool<byte>.Shared.Rent(512);
    private int _length;
    private ReplyParserState _state;
    private int _lineCode;
    private int _digits;
    private bool _last;

    public int Code { get; private set; }
    public int LineCount { get; private set; }

    /// <summary>Why the input was refused, when <see cref="Parse"/> returned <see cref="ReplyStatus.Invalid"/>.</summary>
    public string? Error { get; private set; }

    public void Reset()
    {
        _state = ReplyParserState.LineStart;
        _length = 0;
        _lineCode = 0;
        _digits = 0;
        _last = false;
        Code = 0;
        LineCount = 0;
        Error = null;
    }

    /// <summary>The text of line <paramref name="index"/>, after the code and separator, without the line end.</summary>
    public ReadOnlySpan<byte> Line(int index) => _text.AsSpan(_lineStart[index], _lineEnd[index] - _lineStart[index]);

    public ReplyStatus Parse(ref SequenceReader<byte> reader)
    {
        while (!reader.End)
        {
            var span = reader.UnreadSpan;
            int used = Step(span);
            reader.Advance(used);
            if (_state == ReplyParserState.Done)
                return ReplyStatus.Done;
            if (_state == ReplyParserState.Invalid)
                return ReplyStatus.Invalid;
        }
        return ReplyStatus.NeedMore;
    }

    /// <summary>Runs over one span; returns the octets consumed (all, unless the reply ends or fails inside it).</summary>
    private int Step(ReadOnlySpan<byte> span)
    {
        int i = 0;
        while (i < span.Length)
        {
            byte b = span[i];
            switch (_state)
            {
                case ReplyParserState.LineStart:
                    if (LineCount == SmtpClientLimits.ReplyLines)
                        return Fail(i, "reply has too many lines");
                    if (!char.IsAsciiDigit((char)b))
                        return Fail(i, "reply does not start with a code");
                    _lineCode = b - '0';
                    _digits = 1;
                    _state = ReplyParserState.Code;
                    i++;
                    break;

                case ReplyParserState.Code:
                    if (!char.IsAsciiDigit((char)b))
                        return Fail(i, "reply code is not three digits");
                    _lineCode = _lineCode * 10 + (b - '0');
                    i++;
                    if (++_digits == 3)
                    {
                        // RFC 5321 section 4.2: first digit 2-5; every line of a reply carries the same code.
                        if (_lineCode < 200 || _lineCode > 599)
                            return Fail(i, "reply code out of range");
                        if (LineCount > 0 && _lineCode != Code)
                            return Fail(i, "reply lines carry different codes");
                        Code = _lineCode;
                        _state = ReplyParserState.Separator;
                    }
                    break;

                case ReplyParserState.Separator:
                    _lineStart[LineCount] = _length;
                    if (b == (byte)'-' || b == (byte)' ')
                    {
                        _last = b == (byte)' ';
                        _state = ReplyParserState.Text;
                        i++;
                    }
                    else if (b == (byte)'\r')
                    {
                        _last = true;
                        _state = ReplyParserState.CodeCr;
                        i++;
                    }
                    else if (b == (byte)'\n')
                    {
                        _last = true;
                        i++;
                        if (EndLine())
                            return i;
                    }
                    else
                    {
                        return Fail(i, "reply code not followed by space or hyphen");
                    }
                    break;

                case ReplyParserState.CodeCr:
                    if (b != (byte)'\n')
                        return Fail(i, "bare CR in reply");
                    i++;
                    if (EndLine())
                        return i;
                    break;

                case ReplyParserState.Text:
                {
                    var rest = span[i..];
                    int lf = rest.IndexOf((byte)'\n');
                    var take = lf < 0 ? rest : rest[..lf];
                    int lineLength = _length - _lineStart[LineCount] + take.Length;
                    if (lineLength > SmtpClientLimits.ReplyLine)
                        return Fail(i, "reply line too long");
                    if (!Append(take))
                        return Fail(i, "reply too long");
                    if (lf < 0)
                        return span.Length;
                    i += lf + 1;
                    // CRLF is the line end (RFC 5321 section 2.3.8); the CR may have arrived in an earlier span.
                    if (_length > _lineStart[LineCount] && _text[_length - 1] == (byte)'\r')
                        _length--;
                    if (EndLine())
                        return i;
                    break;
                }

                default:
                    return i;
            }
        }
        return span.Length;
    }

    /// <summary>Closes the current line; true when it was the reply's last.</summary>
    private bool EndLine()
    {
        _lineEnd[LineCount] = _length;
        LineCount++;
        if (_last)
        {
            _state = ReplyParserState.Done;
            return true;
        }
        _state = ReplyParserState.LineStart;
        return false;
    }

    private bool Append(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _text.Length)
        {
            if (_length + bytes.Length > SmtpClientLimits.ReplyBytes)
                return false;
            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(SmtpClientLimits.ReplyBytes, Math.Max(_text.Length * 2, _length + bytes.Length)));
            _text.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_text);
            _text = larger;
        }
        bytes.CopyTo(_text.AsSpan(_length));
        _length += bytes.Length;
        return true;
    }

    private int Fail(int at, string error)
    {
        _state = ReplyParserState.Invalid;
        Error = error;
        return at;
    }

    /// <summary>The RFC 3463 enhanced status code at the start of the first line (<c>x.y.z</c>), or null.</summary>
    public string? EnhancedStatus()
    {
        if (LineCount == 0)
            return null;
        var line = Line(0);
        int length = StatusLength(line, Code / 100);
        return length == 0 ? null : Encoding.ASCII.GetString(line[..length]);
    }

    /// <summary>The reply text for results and logs: lines joined with a space, enhanced status codes removed.</summary>
    public string Description()
    {
        var builder = new StringBuilder(_length + LineCount);
        for (int i = 0; i < LineCount; i++)
        {
            var line = Line(i);
            int status = StatusLength(line, Code / 100);
            if (status > 0)
                line = line[status..].TrimStart((byte)' ');
            if (line.IsEmpty)
                continue;
            if (builder.Length > 0)
                builder.Append(' ');
            builder.Append(Encoding.UTF8.GetString(line));
        }
        return builder.ToString();
    }

    /// <summary>
    /// Octets of a leading status-code (RFC 3463 section 2: class "." subject "." detail, subject and detail 1-3
    /// digits) whose class matches the reply's first digit (RFC 2034 section 4), followed by a space or the end.
    /// </summary>
    internal static int StatusLength(ReadOnlySpan<byte> text, int replyClass)
    {
        if (text.Length < 5 || text[0] != (byte)('0' + replyClass) || replyClass is not (2 or 4 or 5) || text[1] != (byte)'.')
            return 0;
        int i = 2;
        for (int part = 0; part < 2; part++)
        {
            int digits = 0;
            while (i < text.Length && char.IsAsciiDigit((char)text[i]) && digits < 4)
            {
                i++;
                digits++;
            }
            if (digits is 0 or > 3)
                return 0;
            if (part == 0)
            {
                if (i >= text.Length || text[i] != (byte)'.')
                    return 0;
                i++;
            }
        }
        return i == text.Length || text[i] == (byte)' ' ? i : 0;
    }

    public void Dispose()
    {
        var text = _text;
        _text = [];
        if (text.Length > 0)
            ArrayPool<byte>.Shared.Return(text);
    }
}
