using MailerQ.Www.Core.Tracing;

namespace MailerQ.Www.Bench.Core;

/// <summary>An in-memory subscriber that keeps up: it completes every chunk as soon as it gets it.</summary>
internal sealed class BenchTraceSink : ITraceSink
{
    public long Bytes;

    public bool TryEnqueue(TraceChunk chunk, TraceSubscription subscription)
    {
        Bytes += chunk.FrameLength;
        subscription.Complete(chunk);
        return true;
    }

    public void OnStalled(TraceSubscription subscription)
    {
    }
}
