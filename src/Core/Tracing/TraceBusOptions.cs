namespace MailerQ.Www.Core.Tracing;

/// <summary>Limits of the trace bus. The defaults are ours (no upstream equivalent); each says why.</summary>
public sealed class TraceBusOptions
{
    /// <summary>
    /// Raw bytes per chunk; a larger publish is split. 16 KiB is one TLS record (RFC 8446 §5.1), so a
    /// chunk never costs more than one record on a TLS console, and it keeps the frame header at 4 bytes.
    /// </summary>
    public int MaxChunkPayload { get; set; } = 16 * 1024;

    /// <summary>Chunks a subscriber may have queued before new ones are dropped for it.</summary>
    public int BacklogFrames { get; set; } = 1024;

    /// <summary>Frame bytes a subscriber may have queued before new chunks are dropped for it: a few seconds
    /// of a busy MTA's conversation, and bounded memory per browser tab.</summary>
    public long BacklogBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>A subscriber with queued chunks that completes none for this long is closed (1008).</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the bus looks for stalled subscribers (a drop also triggers a look).</summary>
    public TimeSpan StallCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Idle chunk objects kept for reuse.</summary>
    public int MaxPooledChunks { get; set; } = 4096;

    /// <summary>Writes the transport frame header into each chunk (the WebSocket server's binary header).</summary>
    public TraceFramePrefix? FramePrefix { get; set; }

    /// <summary>Timestamps and stall clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxChunkPayload, 1, nameof(MaxChunkPayload));
        // The frame header must fit the reserved prefix: any length up to int.MaxValue needs at most 10 bytes.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxChunkPayload, 1024 * 1024, nameof(MaxChunkPayload));
        ArgumentOutOfRangeException.ThrowIfLessThan(BacklogFrames, 1, nameof(BacklogFrames));
        ArgumentOutOfRangeException.ThrowIfLessThan(BacklogBytes, 1, nameof(BacklogBytes));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(StallTimeout, TimeSpan.Zero, nameof(StallTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(StallCheckInterval, TimeSpan.Zero, nameof(StallCheckInterval));
    }
}
