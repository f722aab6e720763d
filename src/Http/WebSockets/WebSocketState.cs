namespace MailerQ.Www.Http.WebSockets;

/// <summary>Where a session is in the closing handshake (RFC 6455 §7, §5.5.1).</summary>
internal enum WebSocketState : byte
{
    /// <summary>Both directions carry messages.</summary>
    Open,
    /// <summary>We queued our Close: nothing more is sent; we read (and discard) until the peer's Close.</summary>
    CloseSent,
    /// <summary>The peer's Close arrived: nothing more is read; our Close answers it.</summary>
    CloseReceived,
    /// <summary>Both Close frames crossed, or the connection ended.</summary>
    Closed,
}
