namespace MailerQ.Www.Core.Tracing;

/// <summary>
/// Where a subscription's chunks go: a WebSocket session's outgoing queue, or an in-memory consumer.
/// Both methods are called on publisher threads (SMTP sessions) and the bus's timer: they must return
/// at once and never block.
/// </summary>
public interface ITraceSink
{
    /// <summary>
    /// Queues a chunk the bus already took a reference for. Returns false when the sink is closing; the
    /// bus then releases that reference. A sink that returns true owns it and hands the chunk back with
    /// <see cref="TraceSubscription.Complete"/> once written or discarded.
    /// </summary>
    bool TryEnqueue(TraceChunk chunk, TraceSubscription subscription);

    /// <summary>The subscription made no progress for longer than the stall timeout and was removed
    /// from the bus; the sink closes its consumer (WebSocket: close code 1008).</summary>
    void OnStalled(TraceSubscription subscription);
}
