namespace MailerQ.Www.Core.Metrics;

/// <summary>Case-insensitive (ordinal) equality of <see cref="OverviewKey"/>; hashing allocates nothing.</summary>
internal sealed class OverviewKeyComparer : IEqualityComparer<OverviewKey>
{
    public static readonly OverviewKeyComparer Instance = new();

    public bool Equals(OverviewKey x, OverviewKey y) =>
        string.Equals(x.Mta, y.Mta, StringComparison.OrdinalIgnoreCase)
        && string.Equals(x.Domain, y.Domain, StringComparison.OrdinalIgnoreCase)
        && string.Equals(x.Tag, y.Tag, StringComparison.OrdinalIgnoreCase);

    public int GetHashCode(OverviewKey key) => HashCode.Combine(Hash(key.Mta), Hash(key.Domain), Hash(key.Tag));

    private static int Hash(string? value) => value is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(value);
}
