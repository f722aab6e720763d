namespace MailerQ.Www.Core.Settings;

/// <summary>
/// A forced error (MailerQ's table <c>errors</c>, REST <c>/v1/errors</c>): deliveries it matches fail with
/// <see cref="Code"/>, <see cref="Extended"/> and <see cref="Description"/> as if the remote had answered so.
/// Matching is the same as for <see cref="Pause"/>.
/// </summary>
internal sealed record ForcedError
{
    public long Id { get; init; }
    /// <summary>SMTP reply code, 200–599.</summary>
    public int Code { get; init; }
    /// <summary>Enhanced status code (RFC 3463), e.g. <c>5.7.1</c>.</summary>
    public string? Extended { get; init; }
    public string? Description { get; init; }
    public string? Mta { get; init; }
    public string? Pool { get; init; }
    public string? Domain { get; init; }
    public string? Ip { get; init; }
    public string? Tag { get; init; }
    public bool Cluster { get; init; }
    /// <summary>The instance that made it (its cluster id); without <see cref="Cluster"/> it applies only there. Null = everywhere.</summary>
    public string? Instance { get; init; }
}
