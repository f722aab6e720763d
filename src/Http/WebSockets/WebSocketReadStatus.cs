namespace MailerQ.Www.Http.WebSockets;

/// <summary>What <see cref="WebSocketFrameReader.Read"/> found.</summary>
internal enum WebSocketReadStatus : byte
{
    /// <summary>The input ended inside a frame; call again with more.</summary>
    NeedMore,
    /// <summary>A whole data message (text or binary) arrived.</summary>
    Message,
    /// <summary>A control frame (close, ping, pong) arrived.</summary>
    Control,
    /// <summary>The peer broke the protocol; close with <see cref="WebSocketReadResult.CloseCode"/>.</summary>
    Error,
}
