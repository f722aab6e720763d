using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text.Unicode;

namespace MailerQ.Www.Http.WebSockets;

/// <summary>
/// Reads client frames (RFC 6455 §5) as an explicit state machine over <see cref="SequenceReader{T}"/>:
/// header, extended length, masking key, payload. Input may be cut anywhere, even inside a header;
/// payload is consumed as it arrives, so a frame is never buffered whole. Every protocol fault comes back
/// as a <see cref="WebSocketReadStatus.Error"/> with the close code to send, never as an exception.
/// </summary>
/// <remarks>
/// Checks, each with its RFC 6455 section: client frames must be masked (§5.1), RSV bits must be 0
/// because no extension is negotiated (§5.2), reserved opcodes fail (§5.2), control frames are ≤ 125 bytes
/// and never fragmented (§5.5), a continuation needs a message in progress and a new data frame needs
/// none (§5.4), lengths use the minimal encoding and 64-bit lengths have the top bit clear (§5.2), close
/// payloads carry a valid code and a UTF-8 reason (§5.5.1, §7.4), text is UTF-8 across fragments (§8.1),
/// and a message over <see cref="WebSocketLimits.MaxMessageBytes"/> gets 1009 as soon as a header
/// announces it (§7.4.1). Not thread-safe: one reader per connection, used by its read loop only.
/// </remarks>
internal sealed class WebSocketFrameReader : IDisposable
{
    private readonly long _maxMessageBytes;
    private readonly byte[] _control = new byte[WebSocketLimits.MaxControlPayload];
    private byte[] _message;

    private WebSocketFrameReaderState _state;
    private WebSocketCloseCode _failure;

    // The frame being read.
    private bool _fin;
    private WebSocketOpcode _opcode;
    private int _lengthBytes;
    private long _remaining;
    private uint _mask;
    private int _maskOffset;
    private int _controlLength;

    // The data message being assembled from one or more frames.
    private bool _inMessage;
    private bool _delivered;
    private WebSocketOpcode _messageOpcode;
    private long _messageLength;
    private int _stored;
    private bool _truncated;
    private Utf8Validator _utf8;

    public WebSocketFrameReader(long maxMessageBytes = WebSocketLimits.MaxMessageBytes)
    {
        _maxMessageBytes = maxMessageBytes;
        _message = ArrayPool<byte>.Shared.Rent(WebSocketLimits.MaxCommandBytes);
    }

    /// <summary>Where the reader is (tests, breadcrumbs).</summary>
    public WebSocketFrameReaderState State => _state;

    /// <summary>The text message just delivered, at most <see cref="WebSocketLimits.MaxCommandBytes"/> of it. Binary messages are not kept.</summary>
    public ReadOnlySpan<byte> Message => _message.AsSpan(0, _stored);

    /// <summary>The delivered message was longer than what <see cref="Message"/> holds.</summary>
    public bool MessageTruncated => _truncated;

    /// <summary>Total payload bytes of the delivered message.</summary>
    public long MessageLength => _messageLength;

    /// <summary>Payload of the control frame just delivered (unmasked).</summary>
    public ReadOnlySpan<byte> ControlPayload => _control.AsSpan(0, _controlLength);

    /// <summary>The code of a received close frame; <see cref="WebSocketCloseCode.NoStatusReceived"/> when it had none.</summary>
    public WebSocketCloseCode ReceivedCloseCode =>
        _controlLength >= 2 ? (WebSocketCloseCode)BinaryPrimitives.ReadUInt16BigEndian(_control) : WebSocketCloseCode.NoStatusReceived;

    /// <summary>Reads from <paramref name="reader"/> until a message, a control frame, an error, or the end of input.</summary>
    public WebSocketReadResult Read(ref SequenceReader<byte> reader)
    {
        if (_delivered) ForgetMessage();
        Span<byte> scratch = stackalloc byte[8];
        while (true)
        {
            switch (_state)
            {
                case WebSocketFrameReaderState.Header:
                    if (!reader.TryCopyTo(scratch[..2])) return WebSocketReadResult.NeedMore;
                    reader.Advance(2);
                    if (ReadHeader(scratch[0], scratch[1]) is { } headerError) return Fail(headerError);
                    break;

                case WebSocketFrameReaderState.ExtendedLength:
                    if (!reader.TryCopyTo(scratch[.._lengthBytes])) return WebSocketReadResult.NeedMore;
                    reader.Advance(_lengthBytes);
                    if (ReadExtendedLength(scratch[.._lengthBytes]) is { } lengthError) return Fail(lengthError);
                    break;

                case WebSocketFrameReaderState.MaskingKey:
                    if (!reader.TryCopyTo(scratch[..4])) return WebSocketReadResult.NeedMore;
                    reader.Advance(4);
                    _mask = BinaryPrimitives.ReadUInt32LittleEndian(scratch);
                    _maskOffset = 0;
                    _state = WebSocketFrameReaderState.Payload;
                    break;

                case WebSocketFrameReaderState.Payload:
                    while (_remaining > 0)
                    {
                        if (reader.End) return WebSocketReadResult.NeedMore;
                        var span = reader.UnreadSpan;
                        int take = (int)Math.Min(span.Length, _remaining);
                        if (ConsumePayload(span[..take]) is { } payloadError) return Fail(payloadError);
                        reader.Advance(take);
                        _remaining -= take;
                    }
                    _state = WebSocketFrameReaderState.Header;
                    if (CompleteFrame(out var result)) return result;
                    break;

                default:
                    return WebSocketReadResult.Fail(_failure);
            }
        }
    }

    private WebSocketCloseCode? ReadHeader(byte first, byte second)
    {
        _fin = (first & 0x80) != 0;
        _opcode = (WebSocketOpcode)(first & 0x0F);
        // §5.2: RSV1-3 MUST be 0 unless an extension defines them; we negotiate none.
        if ((first & 0x70) != 0) return WebSocketCloseCode.ProtocolError;
        // §5.1: a server MUST close the connection on an unmasked client frame.
        if ((second & 0x80) == 0) return WebSocketCloseCode.ProtocolError;
        int length7 = second & 0x7F;
        switch (_opcode)
        {
            case WebSocketOpcode.Close:
            case WebSocketOpcode.Ping:
            case WebSocketOpcode.Pong:
                // §5.5: control frames are ≤ 125 bytes and MUST NOT be fragmented.
                if (!_fin || length7 > WebSocketLimits.MaxControlPayload) return WebSocketCloseCode.ProtocolError;
                break;
            case WebSocketOpcode.Text:
            case WebSocketOpcode.Binary:
                // §5.4: a new data message cannot start while a fragmented one is unfinished.
                if (_inMessage) return WebSocketCloseCode.ProtocolError;
                break;
            case WebSocketOpcode.Continuation:
                // §5.4: a continuation belongs to a message started by a non-final text/binary frame.
                if (!_inMessage) return WebSocketCloseCode.ProtocolError;
                break;
            default:
                // §5.2: opcodes 0x3-0x7 and 0xB-0xF are reserved.
                return WebSocketCloseCode.ProtocolError;
        }
        if (length7 == 126 || length7 == 127)
        {
            _lengthBytes = length7 == 126 ? 2 : 8;
            _state = WebSocketFrameReaderState.ExtendedLength;
            return null;
        }
        return StartPayload(length7);
    }

    private WebSocketCloseCode? ReadExtendedLength(ReadOnlySpan<byte> bytes)
    {
        long length;
        if (bytes.Length == 2)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(bytes);
            // §5.2: "the minimal number of bytes MUST be used to encode the length".
            if (length < 126) return WebSocketCloseCode.ProtocolError;
        }
        else
        {
            ulong value = BinaryPrimitives.ReadUInt64BigEndian(bytes);
            // §5.2: the most significant bit MUST be 0; and minimal encoding again.
            if (value > long.MaxValue || value <= ushort.MaxValue) return WebSocketCloseCode.ProtocolError;
            length = (long)value;
        }
        return StartPayload(length);
    }

    private WebSocketCloseCode? StartPayload(long length)
    {
        if (_opcode >= WebSocketOpcode.Close)
        {
            _controlLength = 0;
        }
        else
        {
            if (_opcode != WebSocketOpcode.Continuation)
            {
                _inMessage = true;
                _messageOpcode = _opcode;
            }
            // §7.4.1 1009: refuse as soon as the header says the message will be too big.
            if (length > _maxMessageBytes - _messageLength) return WebSocketCloseCode.MessageTooBig;
            _messageLength += length;
        }
        _remaining = length;
        _state = WebSocketFrameReaderState.MaskingKey;
        return null;
    }

    private WebSocketCloseCode? ConsumePayload(ReadOnlySpan<byte> masked)
    {
        if (_opcode >= WebSocketOpcode.Close)
        {
            Unmask(masked, _control.AsSpan(_controlLength), _mask, _maskOffset);
            _controlLength += masked.Length;
        }
        else if (_messageOpcode == WebSocketOpcode.Text)
        {
            // Keep what a command can use; still unmask and check the rest for UTF-8, in small pieces.
            int keep = Math.Min(masked.Length, _message.Length - _stored);
            if (keep > 0)
            {
                var into = _message.AsSpan(_stored, keep);
                Unmask(masked[..keep], into, _mask, _maskOffset);
                if (!_utf8.Append(into)) return WebSocketCloseCode.InvalidPayloadData;
                _stored += keep;
            }
            Span<byte> scratch = stackalloc byte[256];
            for (int at = keep; at < masked.Length; at += scratch.Length)
            {
                _truncated = true;
                var piece = masked.Slice(at, Math.Min(scratch.Length, masked.Length - at));
                Unmask(piece, scratch, _mask, _maskOffset + at);
                if (!_utf8.Append(scratch[..piece.Length])) return WebSocketCloseCode.InvalidPayloadData;
            }
        }
        // Binary messages from clients carry nothing we use: counted against the limit, not unmasked.
        _maskOffset = (_maskOffset + masked.Length) & 3;
        return null;
    }

    /// <summary>True when the finished frame completes something to hand out.</summary>
    private bool CompleteFrame(out WebSocketReadResult result)
    {
        if (_opcode >= WebSocketOpcode.Close)
        {
            if (_opcode == WebSocketOpcode.Close && ValidateClosePayload() is { } closeError)
            {
                result = Fail(closeError);
                return true;
            }
            result = new WebSocketReadResult(WebSocketReadStatus.Control, _opcode, default);
            return true;
        }
        if (!_fin)
        {
            result = default;
            return false;
        }
        if (_messageOpcode == WebSocketOpcode.Text && !_utf8.IsComplete)
        {
            // §8.1: the message ended inside a character.
            result = Fail(WebSocketCloseCode.InvalidPayloadData);
            return true;
        }
        _delivered = true;
        result = new WebSocketReadResult(WebSocketReadStatus.Message, _messageOpcode, default);
        return true;
    }

    private WebSocketCloseCode? ValidateClosePayload()
    {
        // §5.5.1: a body, if any, starts with a 2-byte code; one byte alone is malformed.
        if (_controlLength == 0) return null;
        if (_controlLength == 1) return WebSocketCloseCode.ProtocolError;
        if (!IsValidReceivedCode(BinaryPrimitives.ReadUInt16BigEndian(_control))) return WebSocketCloseCode.ProtocolError;
        return Utf8.IsValid(_control.AsSpan(2, _controlLength - 2)) ? null : WebSocketCloseCode.InvalidPayloadData;
    }

    /// <summary>
    /// §7.4.1/§7.4.2: 1000-1003 and 1007-1011 are defined, 1012-1014 were registered since (IANA
    /// "WebSocket Close Code Number Registry"), 3000-4999 belong to libraries and applications. 1004, 1005,
    /// 1006 and 1015 are reserved and MUST NOT appear in a close frame; anything else is unassigned.
    /// </summary>
    private static bool IsValidReceivedCode(int code) =>
        code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);

    private WebSocketReadResult Fail(WebSocketCloseCode code)
    {
        _state = WebSocketFrameReaderState.Failed;
        _failure = code;
        return WebSocketReadResult.Fail(code);
    }

    private void ForgetMessage()
    {
        _delivered = false;
        _inMessage = false;
        _messageLength = 0;
        _stored = 0;
        _truncated = false;
        _utf8.Reset();
    }

    /// <summary>XORs <paramref name="source"/> with the masking key (§5.3), starting at key byte <paramref name="offset"/> mod 4.</summary>
    internal static void Unmask(ReadOnlySpan<byte> source, Span<byte> destination, uint mask, int offset)
    {
        // Rotate so the key's first byte lines up with source[0]; eight bytes at a time, then the tail.
        uint rotated = BitOperations.RotateRight(mask, 8 * (offset & 3));
        ulong mask8 = rotated | ((ulong)rotated << 32);
        int i = 0;
        for (; i + 8 <= source.Length; i += 8)
            BinaryPrimitives.WriteUInt64LittleEndian(destination[i..], BinaryPrimitives.ReadUInt64LittleEndian(source[i..]) ^ mask8);
        for (; i < source.Length; i++)
            destination[i] = (byte)(source[i] ^ (byte)(rotated >> (8 * (i & 3))));
    }

    public void Dispose()
    {
        var message = _message;
        _message = [];
        if (message.Length > 0) ArrayPool<byte>.Shared.Return(message, clearArray: true);
    }
}
