namespace MailerQ.Www.Http.WebSockets;

/// <summary>
/// The one table of which operation is allowed in which state (ManagedWebSocket's s_validSendStates and
/// friends, in one place). RFC 6455 §5.5.1: after sending a Close an endpoint sends no more data; after
/// receiving one it reads nothing more and answers with its own Close.
/// </summary>
internal static class WebSocketStateTable
{
    //                                        Open   CloseSent CloseReceived Closed
    private static readonly bool[] SendData     = [true,  false,    false,        false];
    private static readonly bool[] SendPingPong = [true,  false,    false,        false];
    private static readonly bool[] SendClose    = [true,  false,    true,         false];
    private static readonly bool[] Receive      = [true,  true,     false,        false];

    public static bool Allows(WebSocketState state, WebSocketOperation operation) => operation switch
    {
        WebSocketOperation.SendData => SendData[(int)state],
        WebSocketOperation.SendPingPong => SendPingPong[(int)state],
        WebSocketOperation.SendClose => SendClose[(int)state],
        _ => Receive[(int)state],
    };
}
