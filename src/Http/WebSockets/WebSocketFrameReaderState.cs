namespace MailerQ.Www.Http.WebSockets;

/// <summary>Where the frame reader is inside a frame (RFC 6455 §5.2 base framing).</summary>
internal enum WebSocketFrameReaderState : byte
{
    /// <summary>Waiting for the first two bytes: FIN, RSV1-3, opcode, MASK, 7-bit length.</summary>
    Header,
    /// <summary>Waiting for the 16- or 64-bit extended payload length.</summary>
    ExtendedLength,
    /// <summary>Waiting for the 4-byte masking key.</summary>
    MaskingKey,
    /// <summary>Inside the payload.</summary>
    Payload,
    /// <summary>A protocol error was reported; nothing more is read.</summary>
    Failed,
}
