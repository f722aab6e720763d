using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace MailerQ.Www.Http.Parsing;

/// <summary>
/// Parses a request head (RFC 9112 §2–§6) from whatever part of it has arrived. One instance per
/// connection, reused via <see cref="Reset"/>; not thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="ParseHead"/> consumes complete lines only. On <see cref="ParseStatus.NeedMore"/> the
/// reader stands at the start of the incomplete line; the caller does
/// <c>AdvanceTo(reader.Position, buffer.End)</c> and calls again with more data, and parsing continues
/// in the stored <see cref="State"/> (lines already parsed live in the <see cref="HttpRequestHead"/>).
/// On <see cref="ParseStatus.Done"/> the reader stands at the first body byte (or the next pipelined
/// request). On <see cref="ParseStatus.Error"/> the caller answers with the rejection's status and closes.
/// </para>
/// <para>
/// Like Kestrel's HttpParser, a line is searched in the current span first; only a line that
/// straddles segments is copied, onto the stack when short. The whole head is bounded by
/// <see cref="HttpLimits.MaxRequestHeadBytes"/>, checked against the pending incomplete line too, so a
/// peer that never sends LF is refused once the budget is gone instead of being buffered.
/// </para>
/// </remarks>
internal sealed class HttpRequestParser
{
    private ParserState _state;
    private bool _started;
    private int _consumed;

    // What the known fields of this request said so far; applied to the head when it is complete.
    private int _hostCount;
    private bool _hasContentLength;
    private long _contentLength;
    private bool _hasTransferEncoding;
    private int _chunkedCount;
    private bool _lastCodingIsChunked;
    private bool _hasUnknownCoding;
    private bool _expect100Continue;
    private ConnectionOptions _connection;

    public ParserState State => _state;

    /// <summary>Bytes of the current head consumed so far (complete lines, CRLF included).</summary>
    public int ConsumedBytes => _consumed;

    public ParseStatus ParseHead(ref SequenceReader<byte> reader, HttpRequestHead head, out RequestRejection rejection)
    {
        if (_state == ParserState.Done)
        {
            rejection = RequestRejection.None;
            return ParseStatus.Done;
        }

        if (!_started)
        {
            // First call for this request: forget the previous one's lines.
            _started = true;
            head.Reset();
        }

        while (true)
        {
            int budget = HttpLimits.MaxRequestHeadBytes - _consumed;
            ReadOnlySpan<byte> span = reader.UnreadSpan;
            int lf = span.IndexOf((byte)'\n');
            int lineLength;
            if (lf >= 0)
            {
                lineLength = lf + 1;
                if (lineLength > budget)
                    return Reject(TooLarge(), out rejection);
                rejection = ProcessLine(span[..lineLength], head);
            }
            else if (reader.Remaining == span.Length)
            {
                return Pending(span.Length, budget, out rejection);
            }
            else
            {
                // The line may straddle segments. Look no further than the budget allows.
                ReadOnlySequence<byte> unread = reader.UnreadSequence;
                if (unread.Length > budget)
                    unread = unread.Slice(0, budget);
                SequencePosition? lfPosition = unread.PositionOf((byte)'\n');
                if (lfPosition is null)
                    return Pending(unread.Length, budget, out rejection);
                lineLength = (int)unread.Slice(0, lfPosition.Value).Length + 1;
                rejection = ProcessStraddlingLine(unread.Slice(0, lineLength), lineLength, head);
            }

            if (rejection != RequestRejection.None)
                return ParseStatus.Error;

            reader.Advance(lineLength);
            _consumed += lineLength;
            if (_state == ParserState.Done)
            {
                rejection = Complete(head);
                return rejection == RequestRejection.None ? ParseStatus.Done : ParseStatus.Error;
            }
        }
    }

    /// <summary>Prepares for the next request on the connection; the head is reset on the next call.</summary>
    public void Reset()
    {
        _state = ParserState.RequestLine;
        _started = false;
        _consumed = 0;
        _hostCount = 0;
        _hasContentLength = false;
        _contentLength = 0;
        _hasTransferEncoding = false;
        _chunkedCount = 0;
        _lastCodingIsChunked = false;
        _hasUnknownCoding = false;
        _expect100Continue = false;
        _connection = ConnectionOptions.None;
    }

    private RequestRejection TooLarge() =>
        _state == ParserState.RequestLine ? RequestRejection.RequestLineTooLong : RequestRejection.HeadersTooLarge;

    private ParseStatus Pending(long pendingBytes, int budget, out RequestRejection rejection)
    {
        // The incomplete line still needs at least its LF: when the bytes already waiting use up the
        // budget it can never fit, so refuse now rather than wait for a newline that may never come.
        if (pendingBytes >= budget)
            return Reject(TooLarge(), out rejection);
        rejection = RequestRejection.None;
        return ParseStatus.NeedMore;
    }

    private static ParseStatus Reject(RequestRejection reason, out RequestRejection rejection)
    {
        rejection = reason;
        return ParseStatus.Error;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private RequestRejection ProcessStraddlingLine(in ReadOnlySequence<byte> line, int length, HttpRequestHead head)
    {
        if (length <= HttpLimits.StackallocLineBytes)
        {
            Span<byte> copy = stackalloc byte[HttpLimits.StackallocLineBytes];
            line.CopyTo(copy);
            return ProcessLine(copy[..length], head);
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            line.CopyTo(rented);
            return ProcessLine(rented.AsSpan(0, length), head);
        }
        finally
        {
            // Field lines carry cookies and credentials.
            rented.AsSpan(0, length).Clear();
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Handles one complete line, LF included.</summary>
    private RequestRejection ProcessLine(ReadOnlySpan<byte> line, HttpRequestHead head)
    {
        // RFC 9112 §2.2 lets a recipient accept a bare LF as line terminator; we do not, because a
        // front end that disagrees would see different message boundaries (request smuggling).
        if (line.Length < 2 || line[^2] != (byte)'\r')
            return RequestRejection.BareLineFeed;
        ReadOnlySpan<byte> content = line[..^2];

        if (_state == ParserState.RequestLine)
        {
            // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request-line
            // (old clients add CRLF after a POST body). Each still counts against the head budget.
            if (content.IsEmpty)
                return RequestRejection.None;
            RequestRejection r = ParseRequestLine(content, head);
            if (r == RequestRejection.None)
                _state = ParserState.Headers;
            return r;
        }

        if (content.IsEmpty)
        {
            _state = ParserState.Done;
            return RequestRejection.None;
        }

        return ParseFieldLine(content, head);
    }

    /// <summary>request-line = method SP request-target SP HTTP-version (RFC 9112 §3).</summary>
    private static RequestRejection ParseRequestLine(ReadOnlySpan<byte> line, HttpRequestHead head)
    {
        int bad = line.IndexOfAny((byte)0, (byte)'\r');
        if (bad >= 0)
            return line[bad] == 0 ? RequestRejection.NulCharacter : RequestRejection.BareCarriageReturn;

        // Exactly one SP between the parts: we do not take RFC 9112 §3's option of splitting on any
        // whitespace run, so an empty method, target or version means a malformed line.
        int firstSpace = line.IndexOf((byte)' ');
        int lastSpace = line.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace == firstSpace)
            return RequestRejection.InvalidRequestLine;

        ReadOnlySpan<byte> methodBytes = line[..firstSpace];
        if (methodBytes.IndexOfAnyExcept(HttpCharacters.Token) >= 0)
            return RequestRejection.InvalidRequestLine;

        RequestRejection versionRejection = ParseVersion(line[(lastSpace + 1)..], out HttpVersion version);
        if (versionRejection != RequestRejection.None)
            return versionRejection;

        ReadOnlySpan<byte> target = line[(firstSpace + 1)..lastSpace];
        if (target.IsEmpty || target[0] == (byte)' ' || target[^1] == (byte)' ')
            return RequestRejection.InvalidRequestLine;
        if (target.IndexOfAny(HttpCharacters.InvalidTarget) >= 0)
            return RequestRejection.InvalidTarget;

        HttpMethod method = ParseMethod(methodBytes);
        int start = head.Append(line);
        int targetStart = start + firstSpace + 1;
        head.SetRequestLine(method, version, new ByteRange(start, firstSpace), new ByteRange(targetStart, target.Length));
        return ParseTarget(method, target, targetStart, head);
    }

    /// <summary>HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive (RFC 9112 §2.3).</summary>
    private static RequestRejection ParseVersion(ReadOnlySpan<byte> version, out HttpVersion result)
    {
        result = HttpVersion.Http11;
        if (version.Length != 8 || !version.StartsWith("HTTP/"u8) || !char.IsAsciiDigit((char)version[5])
            || version[6] != (byte)'.' || !char.IsAsciiDigit((char)version[7]))
        {
            return RequestRejection.InvalidRequestLine;
        }

        if (version[5] == (byte)'1' && version[7] == (byte)'1')
            return RequestRejection.None;
        if (version[5] == (byte)'1' && version[7] == (byte)'0')
        {
            result = HttpVersion.Http10;
            return RequestRejection.None;
        }

        // Well-formed but not ours (HTTP/2.0 in a 1.1 frame, HTTP/1.2, HTTP/0.9): RFC 9110 §15.6.6.
        return RequestRejection.UnsupportedHttpVersion;
    }

    /// <summary>Methods are case-sensitive (RFC 9110 §9.1).</summary>
    private static HttpMethod ParseMethod(ReadOnlySpan<byte> m) => m.Length switch
    {
        3 when m.SequenceEqual("GET"u8) => HttpMethod.Get,
        3 when m.SequenceEqual("PUT"u8) => HttpMethod.Put,
        4 when m.SequenceEqual("POST"u8) => HttpMethod.Post,
        4 when m.SequenceEqual("HEAD"u8) => HttpMethod.Head,
        5 when m.SequenceEqual("PATCH"u8) => HttpMethod.Patch,
        5 when m.SequenceEqual("TRACE"u8) => HttpMethod.Trace,
        6 when m.SequenceEqual("DELETE"u8) => HttpMethod.Delete,
        7 when m.SequenceEqual("OPTIONS"u8) => HttpMethod.Options,
        7 when m.SequenceEqual("CONNECT"u8) => HttpMethod.Connect,
        _ => HttpMethod.Unknown,
    };

    /// <summary>Classifies the request-target by its form (RFC 9112 §3.2) and splits path and query.</summary>
    private static RequestRejection ParseTarget(HttpMethod method, ReadOnlySpan<byte> target, int targetStart, HttpRequestHead head)
    {
        if (method == HttpMethod.Connect)
        {
            // §3.2.3: CONNECT takes authority-form only, uri-host ":" port, and RFC 9110 §9.3.6 says
            // to reject an empty or invalid port.
            int colon = target.LastIndexOf((byte)':');
            if (colon <= target.LastIndexOf((byte)']') || colon == target.Length - 1 || !HostSyntax.IsValid(target))
                return RequestRejection.InvalidTarget;
            head.SetTarget(RequestTargetForm.Authority, new ByteRange(targetStart, target.Length), default, false, false, default);
            return RequestRejection.None;
        }

        if (target[0] == (byte)'/')
        {
            SetPathAndQuery(RequestTargetForm.Origin, default, target, targetStart, 0, head);
            return RequestRejection.None;
        }

        if (target.Length == 1 && target[0] == (byte)'*')
        {
            // §3.2.4: asterisk-form is only for a server-wide OPTIONS.
            if (method != HttpMethod.Options)
                return RequestRejection.InvalidTarget;
            head.SetTarget(RequestTargetForm.Asterisk, default, new ByteRange(targetStart, 1), false, false, default);
            return RequestRejection.None;
        }

        // §3.2.2: absolute-form, which a server MUST accept. Schemes are case-insensitive (RFC 3986 §3.1);
        // only http and https name us.
        int schemeLength = StartsWithIgnoreCase(target, "http://"u8) ? 7 : StartsWithIgnoreCase(target, "https://"u8) ? 8 : 0;
        if (schemeLength == 0)
            return RequestRejection.InvalidTarget;
        ReadOnlySpan<byte> rest = target[schemeLength..];
        int authorityLength = rest.IndexOfAny((byte)'/', (byte)'?');
        if (authorityLength < 0)
            authorityLength = rest.Length;

        // RFC 9110 §4.2.1: an http(s) URI with an empty host is invalid; userinfo fails HostSyntax.
        ReadOnlySpan<byte> authority = rest[..authorityLength];
        if (authority.IsEmpty || !HostSyntax.IsValid(authority))
            return RequestRejection.InvalidTarget;
        var authorityRange = new ByteRange(targetStart + schemeLength, authorityLength);
        SetPathAndQuery(RequestTargetForm.Absolute, authorityRange, target, targetStart, schemeLength + authorityLength, head);
        return RequestRejection.None;
    }

    private static void SetPathAndQuery(RequestTargetForm form, ByteRange authority, ReadOnlySpan<byte> target, int targetStart, int pathOffset, HttpRequestHead head)
    {
        ReadOnlySpan<byte> pathAndQuery = target[pathOffset..];
        int question = pathAndQuery.IndexOf((byte)'?');
        int pathLength = question < 0 ? pathAndQuery.Length : question;
        int pathStart = targetStart + pathOffset;
        ByteRange query = question < 0 ? default : new ByteRange(pathStart + question + 1, pathAndQuery.Length - question - 1);

        // Only absolute-form can have an empty path; RFC 9112 §3.3 reads it as "/".
        head.SetTarget(form, authority, new ByteRange(pathStart, pathLength), pathLength == 0, question >= 0, query);
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> s, ReadOnlySpan<byte> prefix) =>
        s.Length >= prefix.Length && Ascii.EqualsIgnoreCase(s[..prefix.Length], prefix);

    /// <summary>field-line = field-name ":" OWS field-value OWS (RFC 9112 §5).</summary>
    private RequestRejection ParseFieldLine(ReadOnlySpan<byte> line, HttpRequestHead head)
    {
        int bad = line.IndexOfAny(HttpCharacters.InvalidFieldLine);
        if (bad >= 0 && line[bad] == 0)
            return RequestRejection.NulCharacter;
        if (bad >= 0 && line[bad] == (byte)'\r')
            return RequestRejection.BareCarriageReturn;

        if (HttpCharacters.IsWhitespace(line[0]))
        {
            // RFC 9112 §2.2: whitespace before the first field line may hide a field from us that a
            // proxy would see; §5.2: obs-fold may be rejected with 400. We reject both.
            return head.HeaderCount == 0 ? RequestRejection.WhitespaceBeforeFirstHeader : RequestRejection.ObsoleteLineFolding;
        }

        // RFC 9112 §5.1: no whitespace is allowed between field name and colon; a server MUST reject
        // it with 400. Such whitespace is not a tchar, so the token check covers it.
        int colon = line.IndexOf((byte)':');
        if (colon <= 0)
            return RequestRejection.InvalidHeaderName;
        ReadOnlySpan<byte> name = line[..colon];
        if (name.IndexOfAnyExcept(HttpCharacters.Token) >= 0)
            return RequestRejection.InvalidHeaderName;

        // The name is all tchar, so a forbidden control byte must be in the value (RFC 9110 §5.5).
        if (bad >= 0)
            return RequestRejection.InvalidHeaderValue;

        if (head.HeaderCount >= HttpLimits.MaxHeaderCount)
            return RequestRejection.HeadersTooLarge;

        int valueStart = colon + 1;
        int valueEnd = line.Length;
        while (valueStart < valueEnd && HttpCharacters.IsWhitespace(line[valueStart]))
            valueStart++;
        while (valueEnd > valueStart && HttpCharacters.IsWhitespace(line[valueEnd - 1]))
            valueEnd--;

        bool known = KnownHeaders.TryLookup(name, out KnownHeader header);
        if (known)
        {
            RequestRejection r = OnKnownHeader(header, line[valueStart..valueEnd]);
            if (r != RequestRejection.None)
                return r;
        }

        int start = head.Append(line);
        int index = head.AddHeader(new ByteRange(start, colon), new ByteRange(start + valueStart, valueEnd - valueStart));
        if (known)
            head.SetKnown(header, index);
        return RequestRejection.None;
    }

    private RequestRejection OnKnownHeader(KnownHeader header, ReadOnlySpan<byte> value)
    {
        switch (header)
        {
            case KnownHeader.Host:
                // RFC 9112 §3.2: 400 for more than one Host field line or an invalid value.
                if (++_hostCount > 1)
                    return RequestRejection.MultipleHost;
                return HostSyntax.IsValid(value) ? RequestRejection.None : RequestRejection.InvalidHeaderValue;
            case KnownHeader.ContentLength:
                return ParseContentLength(value);
            case KnownHeader.TransferEncoding:
                ParseTransferCodings(value);
                return RequestRejection.None;
            case KnownHeader.Connection:
                _connection |= ParseConnectionOptions(value);
                return RequestRejection.None;
            case KnownHeader.Expect:
                _expect100Continue |= ListContains(value, "100-continue"u8);
                return RequestRejection.None;
            default:
                return RequestRejection.None;
        }
    }

    /// <summary>
    /// Content-Length = 1*DIGIT (RFC 9110 §8.6). A list or repeated lines of one identical value may be
    /// taken as that value; differing values mean the framing is ambiguous (RFC 9112 §6.3 rule 5).
    /// </summary>
    private RequestRejection ParseContentLength(ReadOnlySpan<byte> value)
    {
        while (true)
        {
            int comma = value.IndexOf((byte)',');
            ReadOnlySpan<byte> element = HttpCharacters.TrimWhitespace(comma < 0 ? value : value[..comma]);
            if (!TryParseDecimal(element, out long length))
                return RequestRejection.InvalidContentLength;
            if (_hasContentLength && length != _contentLength)
                return RequestRejection.ConflictingContentLength;
            _hasContentLength = true;
            _contentLength = length;
            if (comma < 0)
                return RequestRejection.None;
            value = value[(comma + 1)..];
        }
    }

    /// <summary>1*DIGIT into a non-negative long; no sign, no whitespace, false on overflow.</summary>
    private static bool TryParseDecimal(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty)
            return false;
        foreach (byte b in digits)
        {
            uint d = (uint)(b - '0');
            if (d > 9 || value > (long.MaxValue - d) / 10)
                return false;
            value = (value * 10) + d;
        }

        return true;
    }

    /// <summary>
    /// Notes the codings of one Transfer-Encoding line (RFC 9112 §6.1); lines concatenate in order.
    /// Only a bare "chunked" is understood: "chunked" has no parameters, so "chunked;x" is a coding we
    /// do not know. Whether the result is acceptable is decided when the head is complete.
    /// </summary>
    private void ParseTransferCodings(ReadOnlySpan<byte> value)
    {
        _hasTransferEncoding = true;
        while (true)
        {
            int comma = value.IndexOf((byte)',');
            ReadOnlySpan<byte> coding = HttpCharacters.TrimWhitespace(comma < 0 ? value : value[..comma]);

            // RFC 9110 §5.6.1: a recipient ignores empty list elements.
            if (!coding.IsEmpty)
            {
                // Coding names are case-insensitive (RFC 9112 §7).
                _lastCodingIsChunked = Ascii.EqualsIgnoreCase(coding, "chunked"u8);
                if (_lastCodingIsChunked)
                    _chunkedCount++;
                else
                    _hasUnknownCoding = true;
            }

            if (comma < 0)
                return;
            value = value[(comma + 1)..];
        }
    }

    /// <summary>Connection = #connection-option, case-insensitive (RFC 9110 §7.6.1).</summary>
    private static ConnectionOptions ParseConnectionOptions(ReadOnlySpan<byte> value)
    {
        var options = ConnectionOptions.None;
        while (true)
        {
            int comma = value.IndexOf((byte)',');
            ReadOnlySpan<byte> option = HttpCharacters.TrimWhitespace(comma < 0 ? value : value[..comma]);
            if (Ascii.EqualsIgnoreCase(option, "close"u8))
                options |= ConnectionOptions.Close;
            else if (Ascii.EqualsIgnoreCase(option, "keep-alive"u8))
                options |= ConnectionOptions.KeepAlive;
            else if (Ascii.EqualsIgnoreCase(option, "upgrade"u8))
                options |= ConnectionOptions.Upgrade;
            if (comma < 0)
                return options;
            value = value[(comma + 1)..];
        }
    }

    /// <summary>Whether a comma-separated list holds <paramref name="member"/>, ignoring case and OWS.</summary>
    private static bool ListContains(ReadOnlySpan<byte> value, ReadOnlySpan<byte> member)
    {
        while (true)
        {
            int comma = value.IndexOf((byte)',');
            if (Ascii.EqualsIgnoreCase(HttpCharacters.TrimWhitespace(comma < 0 ? value : value[..comma]), member))
                return true;
            if (comma < 0)
                return false;
            value = value[(comma + 1)..];
        }
    }

    /// <summary>Checks what needs the whole head, then fixes the message framing (RFC 9112 §6.3).</summary>
    private RequestRejection Complete(HttpRequestHead head)
    {
        // RFC 9112 §3.2: a server MUST respond 400 to an HTTP/1.1 request without Host.
        if (_hostCount == 0 && head.Version == HttpVersion.Http11)
            return RequestRejection.MissingHost;

        if (_hasTransferEncoding)
        {
            // §6.3 rule 3: both headers "ought to be handled as an error" (a smuggling attempt).
            if (_hasContentLength)
                return RequestRejection.ContentLengthWithTransferEncoding;

            // §6.1: Transfer-Encoding on HTTP/1.0 means the framing is faulty.
            if (head.Version == HttpVersion.Http10)
                return RequestRejection.InvalidTransferEncoding;

            // §6.3 rule 4: chunked not final → 400; §7.1: chunked is applied at most once.
            if (!_lastCodingIsChunked || _chunkedCount > 1)
                return RequestRejection.InvalidTransferEncoding;

            // §6.1: another coding under chunked, which we cannot decode → 501.
            if (_hasUnknownCoding)
                return RequestRejection.UnsupportedTransferEncoding;
        }

        // §10.1.1 of RFC 9110: a 100-continue expectation in an HTTP/1.0 request MUST be ignored.
        bool expect100 = _expect100Continue && head.Version == HttpVersion.Http11;
        head.SetFraming(_hasContentLength ? _contentLength : -1, _hasTransferEncoding, expect100, _connection);
        return RequestRejection.None;
    }
}
