namespace MailerQ.Www.Smtp.Cluster;

/// <summary>An instance as this one knows it: its last announcement, when that arrived here, and whether it went stale.</summary>
internal sealed record ClusterPeer(ClusterAnnouncement Announcement, DateTimeOffset LastSeen, bool Stale, bool Self);
