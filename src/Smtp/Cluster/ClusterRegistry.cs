using System.Collections.Concurrent;

namespace MailerQ.Www.Smtp.Cluster;

/// <summary>
/// The instances heard on the cluster exchange. An instance whose announcements stop for
/// <see cref="ClusterOptions.StaleAfterPeriods"/> of its own periods is stale (issue 11 point 2); after
/// <see cref="ForgetAfterPeriods"/> it is forgotten, so a renamed or retired instance does not linger forever.
/// Thread-safe; time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed class ClusterRegistry(string? selfId, TimeProvider? time = null)
{
    /// <summary>A day of one-minute periods: long enough for an operator to notice, short enough not to hoard.</summary>
    public const int ForgetAfterPeriods = 1440;

    private readonly ConcurrentDictionary<string, (ClusterAnnouncement Announcement, DateTimeOffset Seen)> _peers = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public string? SelfId => selfId;

    public void Observe(ClusterAnnouncement announcement)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        _peers[announcement.Id] = (announcement, _time.GetUtcNow());
    }

    /// <summary>Every known instance, ordered by id; this one first.</summary>
    public IReadOnlyList<ClusterPeer> List()
    {
        var now = _time.GetUtcNow();
        var list = new List<ClusterPeer>(_peers.Count);
        foreach (var (id, (announcement, seen)) in _peers)
        {
            var age = now - seen;
            if (age > announcement.Interval * ForgetAfterPeriods)
            {
                _peers.TryRemove(id, out _);
                continue;
            }
            list.Add(new ClusterPeer(announcement, seen, age > announcement.Interval * ClusterOptions.StaleAfterPeriods, id == selfId));
        }
        list.Sort(static (a, b) => a.Self != b.Self ? (a.Self ? -1 : 1) : string.CompareOrdinal(a.Announcement.Id, b.Announcement.Id));
        return list;
    }

    public bool TryGet(string id, out ClusterPeer peer)
    {
        peer = null!;
        if (!_peers.TryGetValue(id, out var entry)) return false;
        var age = _time.GetUtcNow() - entry.Seen;
        peer = new ClusterPeer(entry.Announcement, entry.Seen, age > entry.Announcement.Interval * ClusterOptions.StaleAfterPeriods, id == selfId);
        return true;
    }
}
