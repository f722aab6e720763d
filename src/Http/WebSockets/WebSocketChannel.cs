namespace MailerQ.Www.Http.WebSockets;

/// <summary>What a client can subscribe to (CONTRACT.md "WebSocket /ws").</summary>
internal enum WebSocketChannel : byte
{
    /// <summary>One JSON text frame per second: counters and this subscriber's drops.</summary>
    Stats,
    /// <summary>Binary trace frames of SMTP sessions.</summary>
    Smtp,
}
