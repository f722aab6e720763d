using MailerQ.Www.Core.Tracing;

namespace MailerQ.Www.Http.WebSockets;

/// <summary>One item of a session's outgoing queue.</summary>
internal readonly struct WebSocketOutgoing
{
    private WebSocketOutgoing(WebSocketOutgoingKind kind, TraceChunk? chunk, TraceSubscription? subscription, byte[]? reply)
    {
        Kind = kind;
        Chunk = chunk;
        Subscription = subscription;
        Reply = reply;
    }

    public WebSocketOutgoingKind Kind { get; }
    public TraceChunk? Chunk { get; }
    public TraceSubscription? Subscription { get; }
    public byte[]? Reply { get; }

    public static WebSocketOutgoing Trace(TraceChunk chunk, TraceSubscription subscription) => new(WebSocketOutgoingKind.Trace, chunk, subscription, null);

    public static WebSocketOutgoing Text(byte[] reply) => new(WebSocketOutgoingKind.Reply, null, null, reply);

    public static WebSocketOutgoing Of(WebSocketOutgoingKind kind) => new(kind, null, null, null);
}
