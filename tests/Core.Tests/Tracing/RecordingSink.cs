using System.Buffers.Binary;
using MailerQ.Www.Core.Tracing;

namespace MailerQ.Www.Core.Tests.Tracing;

/// <summary>
/// An in-memory subscriber. Completing: records each chunk's payload and completes it at once (a reader
/// that keeps up). Holding: keeps every chunk and never completes (a browser that stopped reading).
/// </summary>
internal sealed class RecordingSink(bool hold = false) : ITraceSink
{
    private readonly Lock _gate = new();
    private readonly List<(TraceChunk Chunk, TraceSubscription Subscription)> _held = [];

    public List<byte[]> Payloads { get; } = [];
    public List<byte[]> Frames { get; } = [];
    public List<TraceFlags> Flags { get; } = [];
    public int Received;
    public int StalledCalls;
    public bool Closed;
    public bool RecordBytes { get; init; } = true;

    /// <summary>Sequence numbers: the first 4 payload bytes of every chunk, big-endian.</summary>
    public List<int> Sequence { get; } = [];

    public bool TryEnqueue(TraceChunk chunk, TraceSubscription subscription)
    {
        lock (_gate)
        {
            if (Closed) return false;
            Received++;
            if (hold)
            {
                _held.Add((chunk, subscription));
                return true;
            }
            if (RecordBytes)
            {
                Payloads.Add(chunk.Payload.ToArray());
                Frames.Add(chunk.Frame.ToArray());
                Flags.Add(chunk.Flags);
            }
            if (chunk.Payload.Length >= 4) Sequence.Add(BinaryPrimitives.ReadInt32BigEndian(chunk.Payload));
        }
        subscription.Complete(chunk);
        return true;
    }

    public void OnStalled(TraceSubscription subscription)
    {
        lock (_gate)
        {
            StalledCalls++;
            Closed = true;
        }
    }

    public int HeldCount
    {
        get { lock (_gate) return _held.Count; }
    }

    /// <summary>What a closing session does: completes (releases) everything it still holds.</summary>
    public void ReleaseHeld()
    {
        List<(TraceChunk, TraceSubscription)> held;
        lock (_gate)
        {
            Closed = true;
            held = [.. _held];
            _held.Clear();
        }
        foreach (var (chunk, subscription) in held) subscription.Complete(chunk);
    }
}
