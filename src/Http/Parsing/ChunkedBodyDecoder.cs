using System.Buffers;

namespace MailerQ.Www.Http.Parsing;

/// <summary>
/// Decodes a chunked request body (RFC 9112 §7.1) from whatever part of it has arrived. One instance
/// per connection, reused via <see cref="Reset"/>; not thread-safe.
/// </summary>
/// <remarks>
/// Unlike the head parser this one keeps its position inside a line in its state, so
/// <see cref="Decode"/> consumes every byte it is given (up to the end of the body) and the caller
/// simply does <c>AdvanceTo(reader.Position)</c>. On <see cref="ParseStatus.Done"/> the reader stands
/// right after the body: at the next pipelined request. Line endings must be CRLF; chunk extensions
/// are skipped, trailer fields are checked and dropped (RFC 9112 §7.1.1, §7.1.2), both bounded.
/// </remarks>
internal sealed class ChunkedBodyDecoder
{
    private ChunkedBodyState _state;

    // While reading chunk-size: the size so far. In Data: the bytes left in the current chunk.
    private long _chunkBytes;
    private long _bodyBytes;
    private bool _sawDigit;
    private bool _sawSemicolon;
    private int _lineBytes;
    private int _trailerBytes;
    private int _trailerLineBytes;
    private bool _trailerInValue;
    private bool _trailerSawCr;

    public ChunkedBodyState State => _state;

    /// <summary>Decoded body bytes so far (chunk-data only).</summary>
    public long BodyBytes => _bodyBytes;

    public void Reset()
    {
        _state = ChunkedBodyState.ChunkSize;
        _chunkBytes = 0;
        _bodyBytes = 0;
        _sawDigit = false;
        _sawSemicolon = false;
        _lineBytes = 0;
        _trailerBytes = 0;
        _trailerLineBytes = 0;
        _trailerInValue = false;
        _trailerSawCr = false;
    }

    /// <summary>
    /// Decodes what <paramref name="reader"/> holds, writing chunk-data to <paramref name="sink"/> (or
    /// dropping it when null). More than <paramref name="maxBodyBytes"/> of chunk-data is
    /// <see cref="RequestRejection.BodyTooLarge"/>, detected from the chunk-size before its data is read.
    /// </summary>
    public ParseStatus Decode(ref SequenceReader<byte> reader, IBufferWriter<byte>? sink, long maxBodyBytes, out RequestRejection rejection)
    {
        rejection = RequestRejection.None;
        while (true)
        {
            byte b;
            switch (_state)
            {
                case ChunkedBodyState.ChunkSize:
                    if (!reader.TryRead(out b))
                        return ParseStatus.NeedMore;
                    if (++_lineBytes > HttpLimits.MaxChunkLineBytes)
                        return Fail(RequestRejection.InvalidChunkSize, out rejection);
                    int digit = HttpCharacters.HexValue(b);
                    if (digit >= 0)
                    {
                        // chunk-size = 1*HEXDIG; leading zeros are allowed, so overflow is checked per
                        // digit, not by counting digits.
                        if (_chunkBytes > (long.MaxValue >> 4))
                            return Fail(RequestRejection.InvalidChunkSize, out rejection);
                        _chunkBytes = (_chunkBytes << 4) | (uint)digit;
                        _sawDigit = true;
                        if (_chunkBytes > maxBodyBytes - _bodyBytes)
                            return Fail(RequestRejection.BodyTooLarge, out rejection);
                        break;
                    }

                    if (!_sawDigit)
                        return Fail(b == (byte)'\n' ? RequestRejection.BareLineFeed : RequestRejection.InvalidChunkSize, out rejection);
                    if (b == (byte)'\r')
                    {
                        _state = ChunkedBodyState.ChunkSizeLf;
                    }
                    else if (b == (byte)';' || HttpCharacters.IsWhitespace(b))
                    {
                        // chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
                        _sawSemicolon = b == (byte)';';
                        _state = ChunkedBodyState.ChunkExtension;
                    }
                    else
                    {
                        return Fail(b == (byte)'\n' ? RequestRejection.BareLineFeed : RequestRejection.InvalidChunkSize, out rejection);
                    }

                    break;

                case ChunkedBodyState.ChunkExtension:
                    if (!reader.TryRead(out b))
                        return ParseStatus.NeedMore;
                    if (++_lineBytes > HttpLimits.MaxChunkLineBytes)
                        return Fail(RequestRejection.ChunkExtensionTooLong, out rejection);
                    if (b == (byte)'\r')
                    {
                        // BWS without a following ';' is not an extension: "5 \r\n" is malformed.
                        if (!_sawSemicolon)
                            return Fail(RequestRejection.InvalidChunkSize, out rejection);
                        _state = ChunkedBodyState.ChunkSizeLf;
                    }
                    else if (b == (byte)'\n')
                    {
                        return Fail(RequestRejection.BareLineFeed, out rejection);
                    }
                    else if (!_sawSemicolon)
                    {
                        if (b == (byte)';')
                            _sawSemicolon = true;
                        else if (!HttpCharacters.IsWhitespace(b))
                            return Fail(RequestRejection.InvalidChunkSize, out rejection);
                    }
                    else if (HttpCharacters.InvalidFieldLine.Contains(b))
                    {
                        // Extension names and values are tokens or quoted-strings: no CTLs but HTAB.
                        return Fail(RequestRejection.InvalidChunkSize, out rejection);
                    }

                    break;

                case ChunkedBodyState.ChunkSizeLf:
                    if (!reader.TryRead(out b))
                        return ParseStatus.NeedMore;
                    if (b != (byte)'\n')
                        return Fail(RequestRejection.BareCarriageReturn, out rejection);
                    _lineBytes = 0;
                    _sawDigit = false;
                    _sawSemicolon = false;

                    // last-chunk = 1*("0") [ chunk-ext ] CRLF, then the trailer section.
                    _state = _chunkBytes == 0 ? ChunkedBodyState.Trailers : ChunkedBodyState.Data;
                    break;

                case ChunkedBodyState.Data:
                    while (_chunkBytes > 0)
                    {
                        if (reader.End)
                            return ParseStatus.NeedMore;
                        ReadOnlySpan<byte> span = reader.UnreadSpan;
                        int n = (int)Math.Min(span.Length, _chunkBytes);
                        sink?.Write(span[..n]);
                        reader.Advance(n);
                        _chunkBytes -= n;
                        _bodyBytes += n;
                    }

                    _state = ChunkedBodyState.DataCr;
                    break;

                case ChunkedBodyState.DataCr:
                    if (!reader.TryRead(out b))
                        return ParseStatus.NeedMore;
                    if (b != (byte)'\r')
                        return Fail(RequestRejection.InvalidChunkTerminator, out rejection);
                    _state = ChunkedBodyState.DataLf;
                    break;

                case ChunkedBodyState.DataLf:
                    if (!reader.TryRead(out b))
                        return ParseStatus.NeedMore;
                    if (b != (byte)'\n')
                        return Fail(RequestRejection.InvalidChunkTerminator, out rejection);
                    _state = ChunkedBodyState.ChunkSize;
                    break;

                case ChunkedBodyState.Trailers:
                    if (!reader.TryRead(out b))
                        return ParseStatus.NeedMore;
                    RequestRejection r = TrailerByte(b);
                    if (r != RequestRejection.None)
                        return Fail(r, out rejection);
                    break;

                default:
                    return ParseStatus.Done;
            }
        }
    }

    private static ParseStatus Fail(RequestRejection reason, out RequestRejection rejection)
    {
        rejection = reason;
        return ParseStatus.Error;
    }

    /// <summary>
    /// trailer-section = *( field-line CRLF ) CRLF (RFC 9112 §7.1.2), one byte at a time since trailers
    /// are rare and short. Field lines follow the same rules as in the head (RFC 9112 §5).
    /// </summary>
    private RequestRejection TrailerByte(byte b)
    {
        // Trailers count against their own budget; 431 as for an oversized head.
        if (++_trailerBytes > HttpLimits.MaxTrailerBytes)
            return RequestRejection.HeadersTooLarge;

        if (_trailerSawCr)
        {
            if (b != (byte)'\n')
                return RequestRejection.BareCarriageReturn;
            if (_trailerLineBytes == 0)
            {
                _state = ChunkedBodyState.Done;
                return RequestRejection.None;
            }

            if (!_trailerInValue)
                return RequestRejection.InvalidHeaderName;
            _trailerSawCr = false;
            _trailerInValue = false;
            _trailerLineBytes = 0;
            return RequestRejection.None;
        }

        switch (b)
        {
            case (byte)'\r':
                _trailerSawCr = true;
                return RequestRejection.None;
            case (byte)'\n':
                return RequestRejection.BareLineFeed;
            case 0:
                return RequestRejection.NulCharacter;
        }

        // RFC 9112 §5.2: obs-fold is rejected here as in the head.
        if (_trailerLineBytes++ == 0 && HttpCharacters.IsWhitespace(b))
            return RequestRejection.ObsoleteLineFolding;

        if (_trailerInValue)
            return HttpCharacters.InvalidFieldLine.Contains(b) ? RequestRejection.InvalidHeaderValue : RequestRejection.None;
        if (b == (byte)':')
        {
            if (_trailerLineBytes == 1)
                return RequestRejection.InvalidHeaderName;
            _trailerInValue = true;
            return RequestRejection.None;
        }

        return HttpCharacters.Token.Contains(b) ? RequestRejection.None : RequestRejection.InvalidHeaderName;
    }
}
