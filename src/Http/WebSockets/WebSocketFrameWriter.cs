using System.Buffers;
using System.Buffers.Binary;
using System.Text.Unicode;

namespace MailerQ.Www.Http.WebSockets;

/// <summary>
/// Writes server frames (RFC 6455 §5.2): never masked (§5.1), always final, no RSV bits. Headers go
/// into a caller's span, so the trace bus can write one in front of a chunk's payload and every
/// subscriber sends that same buffer.
/// </summary>
internal static class WebSocketFrameWriter
{
    /// <summary>The trace bus's frame prefix: a binary frame header, right-aligned in the reserved space.</summary>
    public static readonly MailerQ.Www.Core.Tracing.TraceFramePrefix TracePrefix = WriteBinaryHeaderRightAligned;

    /// <summary>Header bytes for a payload of <paramref name="payloadLength"/>: 2, 4 (16-bit length) or 10 (64-bit).</summary>
    public static int HeaderLength(long payloadLength) => payloadLength < 126 ? 2 : payloadLength <= ushort.MaxValue ? 4 : 10;

    /// <summary>Writes a final, unmasked header at the start of <paramref name="destination"/>; returns its length.</summary>
    public static int WriteHeader(Span<byte> destination, WebSocketOpcode opcode, long payloadLength)
    {
        int length = HeaderLength(payloadLength);
        destination[0] = (byte)(0x80 | (byte)opcode);
        switch (length)
        {
            case 2:
                destination[1] = (byte)payloadLength;
                break;
            case 4:
                destination[1] = 126;
                BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
                break;
            default:
                destination[1] = 127;
                BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
                break;
        }
        return length;
    }

    /// <summary>Writes the header so that it ends exactly at the end of <paramref name="destination"/>; returns its length.</summary>
    public static int WriteHeaderRightAligned(Span<byte> destination, WebSocketOpcode opcode, long payloadLength)
    {
        int length = HeaderLength(payloadLength);
        return WriteHeader(destination[^length..], opcode, payloadLength);
    }

    private static int WriteBinaryHeaderRightAligned(Span<byte> reserved, int payloadLength) =>
        WriteHeaderRightAligned(reserved, WebSocketOpcode.Binary, payloadLength);

    /// <summary>Writes a whole frame (header and a copy of the payload) into <paramref name="output"/>.</summary>
    public static void WriteFrame(IBufferWriter<byte> output, WebSocketOpcode opcode, ReadOnlySpan<byte> payload)
    {
        var span = output.GetSpan(WebSocketLimits.MaxServerHeader + payload.Length);
        int header = WriteHeader(span, opcode, payload.Length);
        payload.CopyTo(span[header..]);
        output.Advance(header + payload.Length);
    }

    /// <summary>
    /// Writes a close frame (§5.5.1): the code, then the reason cut to fit a control frame (125 bytes)
    /// without splitting a UTF-8 character. <see cref="WebSocketCloseCode.None"/> writes an empty body.
    /// </summary>
    public static void WriteClose(IBufferWriter<byte> output, WebSocketCloseCode code, ReadOnlySpan<byte> reason)
    {
        Span<byte> payload = stackalloc byte[WebSocketLimits.MaxControlPayload];
        int length = 0;
        if (code != WebSocketCloseCode.None)
        {
            BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code);
            reason = TruncateUtf8(reason, WebSocketLimits.MaxCloseReason);
            reason.CopyTo(payload[2..]);
            length = 2 + reason.Length;
        }
        WriteFrame(output, WebSocketOpcode.Close, payload[..length]);
    }

    /// <summary>The longest prefix of <paramref name="text"/> of at most <paramref name="max"/> bytes that ends on a character boundary.</summary>
    internal static ReadOnlySpan<byte> TruncateUtf8(ReadOnlySpan<byte> text, int max)
    {
        if (text.Length <= max) return text;
        int end = max;
        // Back off continuation bytes (10xxxxxx) so the cut falls before a lead byte.
        while (end > 0 && (text[end] & 0xC0) == 0x80) end--;
        var cut = text[..end];
        return Utf8.IsValid(cut) ? cut : default;
    }
}
