namespace MailerQ.Www.Core.Metrics;

/// <summary>
/// Which slice of the overview a series counts: null in a dimension means "any". Compared without regard to
/// case, through <see cref="OverviewKeyComparer"/>, so lookups need no lower-cased copies.
/// </summary>
internal readonly record struct OverviewKey(string? Mta, string? Domain, string? Tag)
{
    public int Dimensions => (Mta is null ? 0 : 1) + (Domain is null ? 0 : 1) + (Tag is null ? 0 : 1);
}
