using System.Buffers.Binary;

namespace MailerQ.Www.Core.Tracing;

/// <summary>
/// The byte layout of a trace chunk's buffer: [reserved for the transport frame header] [trace header]
/// [raw bytes]. The trace header is documented byte by byte in docs/ws-protocol.md; all numbers are
/// big-endian (network order, what a browser's DataView reads by default).
/// </summary>
public static class TraceLayout
{
    /// <summary>
    /// Space in front of the trace header for the server→client WebSocket frame header: at most
    /// 2 + 8 bytes, unmasked (RFC 6455 §5.2; §5.1: servers never mask).
    /// </summary>
    public const int ReservedPrefix = 10;

    /// <summary>Bytes of the trace header.</summary>
    public const int HeaderSize = 20;

    /// <summary>Offset of the session id (8 bytes, big-endian) inside the trace header.</summary>
    public const int SessionIdOffset = 0;

    /// <summary>Offset of the direction byte (<see cref="TraceDirection"/>).</summary>
    public const int DirectionOffset = 8;

    /// <summary>Offset of the flags byte (<see cref="TraceFlags"/>).</summary>
    public const int FlagsOffset = 9;

    /// <summary>Offset of the two reserved bytes (zero).</summary>
    public const int ReservedOffset = 10;

    /// <summary>Offset of the timestamp (8 bytes, big-endian Unix milliseconds).</summary>
    public const int TimestampOffset = 12;

    /// <summary>Writes the 20-byte trace header.</summary>
    public static void WriteHeader(Span<byte> destination, long sessionId, TraceDirection direction, TraceFlags flags, long unixMilliseconds)
    {
        destination = destination[..HeaderSize];
        BinaryPrimitives.WriteInt64BigEndian(destination, sessionId);
        destination[DirectionOffset] = (byte)direction;
        destination[FlagsOffset] = (byte)flags;
        destination[ReservedOffset] = 0;
        destination[ReservedOffset + 1] = 0;
        BinaryPrimitives.WriteInt64BigEndian(destination[TimestampOffset..], unixMilliseconds);
    }
}
