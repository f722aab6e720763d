namespace MailerQ.Www.Http.WebSockets;

/// <summary>Bounds on what a WebSocket client may send, each with its source.</summary>
internal static class WebSocketLimits
{
    /// <summary>A whole message, all fragments together. CONTRACT.md "WebSocket /ws": over 1 MiB → 1009.</summary>
    public const long MaxMessageBytes = 1024 * 1024;

    /// <summary>Control frame payload (RFC 6455 §5.5: 125 bytes or less).</summary>
    public const int MaxControlPayload = 125;

    /// <summary>
    /// Bytes of a text message kept for parsing as a command. Commands are tiny JSON objects; a longer
    /// (legal, up to 1 MiB) message is still read and UTF-8 checked, but not stored, and answered with an
    /// error. Keeps a session's receive buffer small whatever clients send.
    /// </summary>
    public const int MaxCommandBytes = 4096;

    /// <summary>Largest server frame header: 2 bytes + 8-byte length, never a mask (RFC 6455 §5.2, §5.1).</summary>
    public const int MaxServerHeader = 10;

    /// <summary>Close reason bytes: the control payload minus the 2-byte code (§5.5.1).</summary>
    public const int MaxCloseReason = MaxControlPayload - 2;
}
