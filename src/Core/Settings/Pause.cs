namespace MailerQ.Www.Core.Settings;

/// <summary>
/// A paused delivery (MailerQ's table <c>paused</c>, REST <c>/v1/pauses</c>): traffic from <see cref="Mta"/>
/// (a local IP) or <see cref="Pool"/> to <see cref="Domain"/> or remote <see cref="Ip"/>, optionally only
/// for one <see cref="Tag"/>. Null, empty or <c>*</c> fields match everything; all of them empty pauses the
/// whole instance. Past <see cref="Expire"/> the pause no longer applies.
/// </summary>
internal sealed record Pause
{
    public long Id { get; init; }
    public string? Mta { get; init; }
    public string? Pool { get; init; }
    public string? Domain { get; init; }
    public string? Ip { get; init; }
    public string? Tag { get; init; }
    /// <summary>Applies across the cluster ("Scope: Cluster") rather than this instance.</summary>
    public bool Cluster { get; init; }
    /// <summary>The instance that made it (its cluster id); without <see cref="Cluster"/> it applies only there. Null = everywhere.</summary>
    public string? Instance { get; init; }
    public DateTimeOffset? Expire { get; init; }
    public string? CreatedBy { get; init; }
    public DateTimeOffset Created { get; init; }
}
