namespace MailerQ.Www.Http.WebSockets;

/// <summary>Close status codes we send or check (RFC 6455 §7.4.1).</summary>
internal enum WebSocketCloseCode : ushort
{
    /// <summary>Used internally for "no close frame yet"; never on the wire.</summary>
    None = 0,
    NormalClosure = 1000,
    /// <summary>The server is shutting down.</summary>
    GoingAway = 1001,
    /// <summary>Framing broken: unmasked, reserved bits or opcodes, bad control frame, bad continuation.</summary>
    ProtocolError = 1002,
    UnsupportedData = 1003,
    /// <summary>A close frame without a code; reserved, never sent (§7.4.1).</summary>
    NoStatusReceived = 1005,
    /// <summary>A text message or close reason that is not UTF-8 (§8.1).</summary>
    InvalidPayloadData = 1007,
    /// <summary>Too slow to keep up with the trace, or stopped answering pings.</summary>
    PolicyViolation = 1008,
    /// <summary>A message over the 1 MiB limit.</summary>
    MessageTooBig = 1009,
    InternalServerError = 1011,
}
