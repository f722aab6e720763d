namespace MailerQ.Www.Smtp.Cluster;

/// <summary>The messages instances exchange (5.13/cluster.md).</summary>
internal enum ClusterMessageKind
{
    Unknown,
    /// <summary><c>{"hello":true}</c>: everyone announces itself now.</summary>
    Hello,
    /// <summary><c>{"reload":true}</c>: everyone re-reads the settings database now.</summary>
    Reload,
    /// <summary>An instance describing itself (<see cref="ClusterAnnouncement"/>).</summary>
    Announce,
}
