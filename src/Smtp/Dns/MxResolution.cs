namespace MailerQ.Www.Smtp.Dns;

/// <summary>
/// The hosts to try for a domain, in order (lowest preference first, equal preferences shuffled), or why
/// there are none. <see cref="Error"/> is a human-readable reason for the result's description.
/// </summary>
internal sealed record MxResolution(MxStatus Status, IReadOnlyList<MxHost> Hosts, string? Error)
{
    public static MxResolution Failed(MxStatus status, string error) => new(status, [], error);
}
