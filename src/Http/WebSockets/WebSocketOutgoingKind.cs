namespace MailerQ.Www.Http.WebSockets;

/// <summary>What the session's writer loop is asked to send.</summary>
internal enum WebSocketOutgoingKind : byte
{
    /// <summary>A trace chunk: its buffer already holds the whole binary frame.</summary>
    Trace,
    /// <summary>A JSON reply (ack or error) from a fixed byte array.</summary>
    Reply,
    /// <summary>The stats frame, built when it is written so it carries the latest numbers.</summary>
    Stats,
    Ping,
    /// <summary>A pong for the latest ping (RFC 6455 §5.5.3 allows answering only the most recent one).</summary>
    Pong,
    /// <summary>Our Close frame; the last thing the writer sends.</summary>
    Close,
}
