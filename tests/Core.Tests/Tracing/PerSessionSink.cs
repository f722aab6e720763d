using System.Buffers.Binary;
using MailerQ.Www.Core.Tracing;

namespace MailerQ.Www.Core.Tests.Tracing;

/// <summary>Records the sequence numbers of every session separately (concurrent publishers).</summary>
internal sealed class PerSessionSink : ITraceSink
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, List<int>> _bySession = [];

    public List<int> For(long session)
    {
        lock (_gate) return _bySession.TryGetValue(session, out var list) ? list : [];
    }

    public bool TryEnqueue(TraceChunk chunk, TraceSubscription subscription)
    {
        lock (_gate)
        {
            if (!_bySession.TryGetValue(chunk.SessionId, out var list)) _bySession[chunk.SessionId] = list = [];
            list.Add(BinaryPrimitives.ReadInt32BigEndian(chunk.Payload));
        }
        subscription.Complete(chunk);
        return true;
    }

    public void OnStalled(TraceSubscription subscription)
    {
    }
}
