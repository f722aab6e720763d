namespace MailerQ.Www.Core.Metrics;

/// <summary>
/// The overview page's filters (MTA IP, recipient domain, tag); null = any. Matching is case-insensitive
/// (domains and tags are compared as MailerQ shows them, not as they were typed).
/// </summary>
internal readonly record struct OverviewFilter(string? Mta = null, string? Domain = null, string? Tag = null)
{
    /// <summary>No filter: everything.</summary>
    public static OverviewFilter None => default;

    /// <summary>How many of the three dimensions are fixed.</summary>
    public int Dimensions => (Mta is null ? 0 : 1) + (Domain is null ? 0 : 1) + (Tag is null ? 0 : 1);
}
