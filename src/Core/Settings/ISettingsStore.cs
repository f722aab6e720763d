namespace MailerQ.Www.Core.Settings;

/// <summary>
/// Where the delivery settings live (<c>database-address</c>): SQLite now, PostgreSQL with the cluster issue,
/// both through the same plain SQL. Every write names the <c>user</c> who made it and records it in the audit
/// table in the same transaction. Writes meant to take effect go through <see cref="SettingsCache"/>, which
/// reloads right after them.
/// </summary>
/// <remarks>
/// "Selection" deletes (pauses, forced errors) remove rows whose mta, pool, domain, ip and tag equal the given
/// ones (null and empty are the same), as MailerQ's REST API deletes by the same fields as it creates.
/// Refusals the data decides (duplicate names, an IP in another pool) throw <see cref="SettingsConflictException"/>.
/// </remarks>
internal interface ISettingsStore : IAsyncDisposable
{
    /// <summary>Reads every table into a new snapshot.</summary>
    ValueTask<SettingsSnapshot> LoadAsync(CancellationToken cancellationToken = default);

    ValueTask<Throttle> AddThrottleAsync(Throttle throttle, string user, CancellationToken cancellationToken = default);
    /// <summary>Replaces name, priority, patterns and limits of throttle <see cref="Throttle.Id"/>; false when it does not exist.</summary>
    ValueTask<bool> UpdateThrottleAsync(Throttle throttle, string user, CancellationToken cancellationToken = default);
    ValueTask<bool> DeleteThrottleAsync(long id, string user, CancellationToken cancellationToken = default);

    /// <summary>Adds a pause, or updates expiry and scope of the one with the same selection.</summary>
    ValueTask<Pause> AddPauseAsync(Pause pause, string user, CancellationToken cancellationToken = default);
    ValueTask<int> DeletePausesAsync(Pause selection, string user, CancellationToken cancellationToken = default);

    /// <summary>Adds a forced error, or replaces code and texts of the one with the same selection.</summary>
    ValueTask<ForcedError> AddForcedErrorAsync(ForcedError error, string user, CancellationToken cancellationToken = default);
    ValueTask<int> DeleteForcedErrorsAsync(ForcedError selection, string user, CancellationToken cancellationToken = default);

    /// <summary>Adds a suppression, or replaces the one for the same value.</summary>
    ValueTask<Suppression> AddSuppressionAsync(Suppression suppression, string user, CancellationToken cancellationToken = default);
    ValueTask<bool> DeleteSuppressionAsync(string value, string user, CancellationToken cancellationToken = default);

    /// <summary>Adds a pool, or updates its description.</summary>
    ValueTask AddPoolAsync(IpPool pool, string user, CancellationToken cancellationToken = default);
    /// <summary>Removes the pool and its IPs (UG/ip-pools.md).</summary>
    ValueTask<bool> DeletePoolAsync(string name, string user, CancellationToken cancellationToken = default);
    /// <summary>Puts an IP in a pool; the pool must exist and the IP must not be in another one.</summary>
    ValueTask AddPoolIpAsync(PoolIp ip, string user, CancellationToken cancellationToken = default);
    ValueTask<bool> DeletePoolIpAsync(PoolIp ip, string user, CancellationToken cancellationToken = default);

    ValueTask<LocalAddress> AddLocalAsync(string pattern, PatternType type, string user, CancellationToken cancellationToken = default);
    ValueTask<bool> DeleteLocalAsync(long id, string user, CancellationToken cancellationToken = default);

    /// <summary>Adds a key (without patterns); domain + selector must be new.</summary>
    ValueTask<DkimKey> AddDkimKeyAsync(DkimKey key, string user, CancellationToken cancellationToken = default);
    /// <summary>Removes the key and its sign patterns.</summary>
    ValueTask<bool> DeleteDkimKeyAsync(string domain, string selector, string user, CancellationToken cancellationToken = default);
    ValueTask<DkimPattern> AddDkimPatternAsync(long keyId, string pattern, PatternType type, string user, CancellationToken cancellationToken = default);
    ValueTask<bool> DeleteDkimPatternAsync(long id, string user, CancellationToken cancellationToken = default);
    /// <summary>
    /// Replaces extra signed headers, expiry, priority and sign patterns of key <see cref="DkimKey.Id"/>; domain,
    /// selector, algorithm and private key are the key's identity and stay. The stored key (new pattern ids), or null
    /// when it does not exist.
    /// </summary>
    ValueTask<DkimKey?> UpdateDkimKeyAsync(DkimKey key, string user, CancellationToken cancellationToken = default);

    ValueTask SetDnsOverrideAsync(DnsOverride dnsOverride, string user, CancellationToken cancellationToken = default);
    ValueTask<bool> DeleteDnsOverrideAsync(string domain, string user, CancellationToken cancellationToken = default);

    ValueTask SetMtaNameAsync(MtaName name, string user, CancellationToken cancellationToken = default);
    ValueTask<bool> DeleteMtaNameAsync(string ip, string user, CancellationToken cancellationToken = default);

    /// <summary>Sets the console's display name of a local IP (replacing any).</summary>
    ValueTask SetMtaLabelAsync(MtaLabel label, string user, CancellationToken cancellationToken = default);
    ValueTask<bool> DeleteMtaLabelAsync(string ip, string user, CancellationToken cancellationToken = default);

    /// <summary>Stores a token's hash; the name must be new.</summary>
    ValueTask AddTokenAsync(ApiToken token, string user, CancellationToken cancellationToken = default);
    ValueTask<bool> DeleteTokenAsync(string name, string user, CancellationToken cancellationToken = default);

    /// <summary>The newest <paramref name="limit"/> audit entries, newest first.</summary>
    ValueTask<IReadOnlyList<AuditEntry>> ReadAuditAsync(int limit, CancellationToken cancellationToken = default);
}
