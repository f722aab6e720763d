using System.Buffers;

namespace MailerQ.Www.Core.Tracing;

/// <summary>
/// What an SMTP session holds to trace its socket: it knows the session's id, peer and kind, and maps
/// "bytes I read" / "bytes I wrote" to the client→server / server→client direction. Every call returns at
/// once, copies nothing beyond the one copy into a chunk, and allocates nothing while nobody subscribes.
/// </summary>
public sealed class TraceSource
{
    private readonly TraceBus _bus;
    private readonly TraceFlags _flags;

    /// <summary>A source for one SMTP session; <paramref name="outbound"/> when we are the SMTP client.</summary>
    public TraceSource(TraceBus bus, long sessionId, string? peer, bool outbound)
    {
        _bus = bus;
        SessionId = sessionId;
        Peer = peer;
        Outbound = outbound;
        _flags = outbound ? TraceFlags.Outbound : TraceFlags.None;
    }

    /// <summary>The session's id, as in <c>/api/smtp/sessions</c> and every trace frame's header.</summary>
    public long SessionId { get; }

    /// <summary>The peer's address (no port), which <c>{"subscribe":"smtp","peer":…}</c> filters on.</summary>
    public string? Peer { get; }

    /// <summary>Whether we are the SMTP client (delivering) in this session.</summary>
    public bool Outbound { get; }

    /// <summary>Whether anyone listens (lets a caller skip work it only does for the trace).</summary>
    public bool HasSubscribers => _bus.SubscriberCount != 0;

    private TraceDirection ReadDirection => Outbound ? TraceDirection.ServerToClient : TraceDirection.ClientToServer;
    private TraceDirection WriteDirection => Outbound ? TraceDirection.ClientToServer : TraceDirection.ServerToClient;

    /// <summary>Bytes this session read from its socket.</summary>
    public void Received(ReadOnlySequence<byte> bytes) => _bus.Publish(SessionId, ReadDirection, bytes, _flags, Peer);

    /// <summary>Bytes this session read from its socket.</summary>
    public void Received(ReadOnlySpan<byte> bytes) => _bus.Publish(SessionId, ReadDirection, bytes, _flags, Peer);

    /// <summary>Bytes this session wrote to its socket.</summary>
    public void Sent(ReadOnlySequence<byte> bytes) => _bus.Publish(SessionId, WriteDirection, bytes, _flags, Peer);

    /// <summary>Bytes this session wrote to its socket.</summary>
    public void Sent(ReadOnlySpan<byte> bytes) => _bus.Publish(SessionId, WriteDirection, bytes, _flags, Peer);
}
