namespace MailerQ.Www.Core.Settings;

/// <summary>The rows of every settings table, as a store read them; <see cref="SettingsSnapshot"/> indexes them.</summary>
internal sealed class SettingsData
{
    public IReadOnlyList<Throttle> Throttles { get; init; } = [];
    public IReadOnlyList<Pause> Pauses { get; init; } = [];
    public IReadOnlyList<ForcedError> ForcedErrors { get; init; } = [];
    public IReadOnlyList<Suppression> Suppressions { get; init; } = [];
    public IReadOnlyList<IpPool> Pools { get; init; } = [];
    public IReadOnlyList<PoolIp> PoolIps { get; init; } = [];
    public IReadOnlyList<LocalAddress> Locals { get; init; } = [];
    /// <summary>Keys with their <see cref="DkimKey.Patterns"/> filled in.</summary>
    public IReadOnlyList<DkimKey> DkimKeys { get; init; } = [];
    public IReadOnlyList<DnsOverride> DnsOverrides { get; init; } = [];
    public IReadOnlyList<MtaName> MtaNames { get; init; } = [];
    public IReadOnlyList<MtaLabel> MtaLabels { get; init; } = [];
    public IReadOnlyList<ApiToken> Tokens { get; init; } = [];

    /// <summary>
    /// The instance these settings are for (cluster id): pauses and forced errors that are neither cluster-wide nor
    /// this instance's own do not apply here. Null = a lone instance, every row applies.
    /// </summary>
    public string? LocalInstance { get; init; }
}
