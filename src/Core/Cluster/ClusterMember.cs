namespace MailerQ.Www.Core.Cluster;

/// <summary>One instance of the cluster as <c>/api/cluster</c> lists it.</summary>
public sealed record ClusterMember
{
    /// <summary>The instance's cluster id.</summary>
    public required string Id { get; init; }

    /// <summary>The console's host name (<c>www-host</c>).</summary>
    public required string Host { get; init; }

    /// <summary>The console's URL (<c>www-url</c>).</summary>
    public required string Url { get; init; }

    /// <summary>The program version it runs.</summary>
    public string Version { get; init; } = "";

    /// <summary>Its local IPs.</summary>
    public IReadOnlyList<string> Ips { get; init; } = [];

    /// <summary>When it started.</summary>
    public DateTimeOffset Started { get; init; }

    /// <summary>When its last announcement arrived here (this instance: now).</summary>
    public DateTimeOffset LastSeen { get; init; }

    /// <summary>No announcement for three of its periods.</summary>
    public bool Stale { get; init; }

    /// <summary>Whether it reaches the settings database.</summary>
    public bool DatabaseUp { get; init; } = true;

    /// <summary>Why the database is down (this instance only), or null.</summary>
    public string? DatabaseError { get; init; }

    /// <summary>Whether it reaches the cluster broker; null when no cluster is configured.</summary>
    public bool? BrokerUp { get; init; }

    /// <summary>Why the broker is down (this instance only), or null.</summary>
    public string? BrokerError { get; init; }
}
