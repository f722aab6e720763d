namespace MailerQ.Www.Core.Tracing;

/// <summary>What happened to a chunk offered to one subscription.</summary>
internal enum TraceOffer : byte
{
    /// <summary>Queued; the sink holds a reference.</summary>
    Accepted,
    /// <summary>The subscription's backlog is full: dropped and counted.</summary>
    Dropped,
    /// <summary>The subscription or its sink is closing: nothing queued, nothing counted.</summary>
    Closed,
}
