using System.Collections.Concurrent;
using MailerQ.Www.Core.Tracing;

namespace MailerQ.Www.Core.Tests.Tracing;

/// <summary>
/// A subscriber whose chunks wait in a queue until <see cref="Drain"/> completes them, from any thread:
/// the shape of a WebSocket session (publishers enqueue, its writer completes later).
/// </summary>
internal sealed class QueueingSink : ITraceSink
{
    private readonly ConcurrentQueue<(TraceChunk Chunk, TraceSubscription Subscription)> _queue = new();
    private long _received;

    /// <summary>TryEnqueue calls: chunks the bus actually handed over.</summary>
    public long Received => Interlocked.Read(ref _received);

    public bool TryEnqueue(TraceChunk chunk, TraceSubscription subscription)
    {
        Interlocked.Increment(ref _received);
        _queue.Enqueue((chunk, subscription));
        return true;
    }

    public void OnStalled(TraceSubscription subscription)
    {
    }

    /// <summary>Completes up to <paramref name="max"/> queued chunks; returns how many.</summary>
    public int Drain(int max = int.MaxValue)
    {
        int done = 0;
        while (done < max && _queue.TryDequeue(out var item))
        {
            item.Subscription.Complete(item.Chunk);
            done++;
        }
        return done;
    }
}
