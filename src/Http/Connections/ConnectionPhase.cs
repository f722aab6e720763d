namespace MailerQ.Www.Http.Connections;

/// <summary>Where a connection is; decides what its deadline means when the heartbeat finds it passed.</summary>
internal enum ConnectionPhase : byte
{
    /// <summary>TLS handshake in progress: abort on timeout.</summary>
    Handshake,
    /// <summary>Waiting for (the rest of) a request head: 408 on timeout.</summary>
    ReadingHead,
    /// <summary>Kept alive between requests with nothing received yet: close quietly on timeout.</summary>
    Idle,
    /// <summary>Reading a request body: abort on timeout.</summary>
    ReadingBody,
    /// <summary>A handler is running: no deadline.</summary>
    Handling,
    /// <summary>Flushing a response to the peer: abort on timeout.</summary>
    Writing,
    /// <summary>Upgraded to WebSocket: no deadline; the session keeps its own time (pings, stalls, close).</summary>
    WebSocket,
}
