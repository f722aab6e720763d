namespace MailerQ.Www.Core.Cluster;

/// <summary>
/// This instance in its cluster, for <c>/api/cluster</c> and switching consoles (<c>/api/cluster/switch</c>,
/// <c>/cluster/enter</c>). Without one, <c>/api/cluster</c> lists this instance alone and switching answers 409.
/// </summary>
public interface IClusterView
{
    /// <summary>This instance's cluster id (stable across restarts, unique per instance).</summary>
    string Id { get; }

    /// <summary>False when no cluster exchange is configured: the list is this instance alone and switching is refused.</summary>
    bool Clustered { get; }

    /// <summary>This instance now, with its database and broker state.</summary>
    ClusterMember Self();

    /// <summary>The other instances as last heard of.</summary>
    IReadOnlyList<ClusterMember> Others();

    /// <summary>The key switch tokens are signed with, shared by every instance.</summary>
    Task<byte[]> SwitchKeyAsync(CancellationToken cancellationToken = default);

    /// <summary>Spends a switch token's nonce: true the first time, false when it was used before.</summary>
    Task<bool> TryUseOnceAsync(string nonce, DateTimeOffset expiry, CancellationToken cancellationToken = default);
}
