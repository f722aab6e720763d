namespace MailerQ.Www.Http.WebSockets;

/// <summary>Timing of a WebSocket session; the defaults are the and the contract's.</summary>
internal sealed class WebSocketOptions
{
    /// <summary>An idle socket (nothing received) is pinged this often (issue 6: every 30 s).</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Pings left unanswered before the session is closed with 1008 (issue 6: after 2 missed pongs).</summary>
    public int MaxMissedPongs { get; set; } = 2;

    /// <summary>One stats frame this often to stats subscribers (contract: one per second).</summary>
    public TimeSpan StatsInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After we start a close (stall, ping timeout, shutdown), how long the peer has to answer with its
    /// Close before the TCP connection is aborted; also bounds how long the last frames may take to
    /// leave. Ours: a peer that answers pings answers a Close well within 5 s.
    /// </summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Replies (acks, errors) queued and not yet written. A client that sends more commands than that
    /// without reading the answers is closed with 1008 rather than buffered without bound.
    /// </summary>
    public int MaxPendingReplies { get; set; } = 256;

    /// <summary>Clock for pings, stats and close timeouts.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The session's timer period: fine enough for both the stats and the ping schedule.</summary>
    internal TimeSpan TickInterval => TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, Math.Min(StatsInterval.Ticks, PingInterval.Ticks) / 2));
}
