using MailerQ.Www.Core.Tracing;

namespace MailerQ.Www.Core.Tests.Tracing;

/// <summary>A subscriber that keeps up and only counts: nothing it does allocates.</summary>
internal sealed class CountingSink : ITraceSink
{
    public long Received;
    public long Bytes;

    public bool TryEnqueue(TraceChunk chunk, TraceSubscription subscription)
    {
        Received++;
        Bytes += chunk.FrameLength;
        subscription.Complete(chunk);
        return true;
    }

    public void OnStalled(TraceSubscription subscription)
    {
    }
}
