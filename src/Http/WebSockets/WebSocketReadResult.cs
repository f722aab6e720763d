namespace MailerQ.Www.Http.WebSockets;

/// <summary>One outcome of the frame reader: a message, a control frame, "need more", or a close code.</summary>
internal readonly record struct WebSocketReadResult(WebSocketReadStatus Status, WebSocketOpcode Opcode, WebSocketCloseCode CloseCode)
{
    public static WebSocketReadResult NeedMore => default;

    public static WebSocketReadResult Fail(WebSocketCloseCode code) => new(WebSocketReadStatus.Error, default, code);
}
