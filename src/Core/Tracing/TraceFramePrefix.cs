namespace MailerQ.Www.Core.Tracing;

/// <summary>
/// Writes a transport frame header for a payload of <paramref name="payloadLength"/> bytes so that it
/// ends exactly at the end of <paramref name="reserved"/> (the space in front of the trace header of a
/// chunk), and returns its length. The WebSocket server passes its binary-frame header writer, so a chunk
/// is a ready server→client frame and every subscriber writes the same bytes (RFC 6455 §5.2).
/// </summary>
public delegate int TraceFramePrefix(Span<byte> reserved, int payloadLength);
