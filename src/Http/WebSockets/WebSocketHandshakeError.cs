namespace MailerQ.Www.Http.WebSockets;

/// <summary>Why an opening handshake was refused (RFC 6455 §4.2.1).</summary>
internal enum WebSocketHandshakeError : byte
{
    None,
    /// <summary>Not a GET (§4.2.1 item 1).</summary>
    NotGet,
    /// <summary>Not HTTP/1.1 (§4.2.1 item 1: "HTTP/1.1 or higher"; we speak 1.1 only).</summary>
    NotHttp11,
    /// <summary>No <c>Upgrade: websocket</c> (item 3).</summary>
    MissingUpgrade,
    /// <summary>No <c>upgrade</c> token in <c>Connection</c> (item 4).</summary>
    MissingConnectionUpgrade,
    /// <summary><c>Sec-WebSocket-Key</c> absent or not base64 of 16 bytes (item 5).</summary>
    BadKey,
    /// <summary><c>Sec-WebSocket-Version</c> is not 13 (item 6): 426 with the version we speak (§4.4).</summary>
    UnsupportedVersion,
    /// <summary>A body on the upgrade request: its bytes would be read as frames.</summary>
    HasBody,
}
