namespace MailerQ.Www.Http.WebSockets;

/// <summary>What a session may be asked to do; <see cref="WebSocketStateTable"/> says in which states.</summary>
internal enum WebSocketOperation : byte
{
    /// <summary>Send a text or binary message (trace chunks, stats, replies).</summary>
    SendData,
    /// <summary>Send a ping or a pong.</summary>
    SendPingPong,
    /// <summary>Send our Close frame.</summary>
    SendClose,
    /// <summary>Read frames from the peer.</summary>
    Receive,
}
