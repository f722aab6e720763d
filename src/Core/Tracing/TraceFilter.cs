namespace MailerQ.Www.Core.Tracing;

/// <summary>
/// Which chunks a subscription wants: optionally only inbound or only outbound SMTP sessions, and
/// optionally one peer. Immutable, so a publisher reads it without a lock while the owner swaps it.
/// </summary>
public sealed class TraceFilter
{
    /// <summary>Every chunk.</summary>
    public static readonly TraceFilter All = new(null, null);

    /// <summary>Creates a filter; null means "any".</summary>
    public TraceFilter(bool? outbound, string? peer)
    {
        Outbound = outbound;
        Peer = string.IsNullOrEmpty(peer) ? null : peer;
    }

    /// <summary>true: outgoing sessions only; false: incoming only; null: both.</summary>
    public bool? Outbound { get; }

    /// <summary>Only sessions with this peer address (compared ignoring ASCII case, for IPv6 hex digits).</summary>
    public string? Peer { get; }

    /// <summary>Whether bytes of a session with these flags and this peer pass.</summary>
    public bool Matches(TraceFlags flags, string? peer)
    {
        if (Outbound is bool outbound && ((flags & TraceFlags.Outbound) != 0) != outbound)
            return false;
        return Peer is null || string.Equals(Peer, peer, StringComparison.OrdinalIgnoreCase);
    }
}
