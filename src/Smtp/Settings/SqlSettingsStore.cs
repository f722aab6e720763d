using System.Data;
using System.Data.Common;
using System.Globalization;
using MailerQ.Www.Core.Settings;

namespace MailerQ.Www.Smtp.Settings;

/// <summary>
/// <see cref="ISettingsStore"/> over any ADO.NET provider with portable SQL: SQLite and PostgreSQL differ only in
/// their connection factory and <see cref="SqlDialect"/> (<see cref="SettingsStoreFactory"/>). One connection per
/// operation (the providers pool them); writes are serialised in-process and each runs in one transaction
/// together with its audit row.
/// </summary>
internal sealed partial class SqlSettingsStore : ISettingsStore
{
    private readonly Func<DbConnection> _connect;
    private readonly SqlDialect _dialect;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private long _loads;

    private readonly IAsyncDisposable? _owned;

    public SqlSettingsStore(Func<DbConnection> connect, SqlDialect dialect, TimeProvider? time = null, IAsyncDisposable? owned = null)
    {
        _connect = connect;
        _dialect = dialect;
        _time = time ?? TimeProvider.System;
        _owned = owned;
    }

    public SqlDialect Dialect => _dialect;

    /// <summary>
    /// This instance's cluster id. Pauses and forced errors made without <c>cluster</c> are stamped with it and apply
    /// only here; selections (update, delete) see cluster-wide rows and this instance's own. Null = a lone instance:
    /// every row applies and is seen.
    /// </summary>
    public string? InstanceId { get; set; }

    /// <summary>
    /// Creates the version table when missing and applies every pending migration in one transaction, so a
    /// failed start leaves the schema as it was. A database newer than this program is refused.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (_dialect.MigrationLock is { } lockSql) await ExecuteAsync(connection, tx, lockSql, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, tx, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied BIGINT NOT NULL)", cancellationToken).ConfigureAwait(false);
        int current;
        await using (var cmd = Command(connection, tx, "SELECT COALESCE(MAX(version), 0) FROM schema_version"))
            current = Convert.ToInt32(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (current > SettingsSchema.Latest)
            throw new InvalidOperationException($"the settings database has schema version {current}, newer than this program's {SettingsSchema.Latest}");
        foreach (var (version, statements) in SettingsSchema.Migrations)
        {
            if (version <= current) continue;
            foreach (var statement in statements)
                await ExecuteAsync(connection, tx, _dialect.Ddl(statement), cancellationToken).ConfigureAwait(false);
            await using var mark = Command(connection, tx, "INSERT INTO schema_version (version, applied) VALUES (@v, @t)",
                ("@v", version), ("@t", _time.GetUtcNow().ToUnixTimeSeconds()));
            await mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The versions recorded in <c>schema_version</c>, in order (tests, diagnostics).</summary>
    public async Task<IReadOnlyList<int>> SchemaVersionsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(connection, null, "SELECT version FROM schema_version ORDER BY version");
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var versions = new List<int>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false)) versions.Add(r.GetInt32(0));
        return versions;
    }

    public async ValueTask<SettingsSnapshot> LoadAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // One read transaction: every table from the same moment.
        await using var tx = await connection.BeginTransactionAsync(_dialect.Snapshot, cancellationToken).ConfigureAwait(false);
        var ct = cancellationToken;

        var rules = new Dictionary<long, List<ThrottlePattern>>();
        await ReadAsync(connection, tx, "SELECT capacity_id, mta, domain FROM capacity_rules ORDER BY id", r =>
        {
            long id = r.GetInt64(0);
            if (!rules.TryGetValue(id, out var list)) rules[id] = list = [];
            list.Add(new ThrottlePattern(Text(r, 1) ?? "", Text(r, 2) ?? ""));
        }, ct).ConfigureAwait(false);
        var throttles = new List<Throttle>();
        await ReadAsync(connection, tx, """
            SELECT id, name, priority, domain_maxmessages, domain_maxconnects, domain_maxconnections, domain_maxidle,
                   ip_maxmessages, ip_maxconnects, ip_maxconnections, ip_maxidle, connection_maxmessages, connection_maxidle
            FROM capacity ORDER BY id
            """, r =>
        {
            long id = r.GetInt64(0);
            throttles.Add(new Throttle
            {
                Id = id,
                Name = r.GetString(1),
                Priority = r.GetInt32(2),
                Patterns = rules.TryGetValue(id, out var p) ? p : [],
                Limits = new ThrottleLimits
                {
                    DomainMessagesPerMinute = Int(r, 3),
                    DomainConnectsPerMinute = Int(r, 4),
                    DomainMaxActive = Int(r, 5),
                    DomainMaxIdle = Int(r, 6),
                    IpMessagesPerMinute = Int(r, 7),
                    IpConnectsPerMinute = Int(r, 8),
                    IpMaxActive = Int(r, 9),
                    IpMaxIdle = Int(r, 10),
                    ConnectionMaxMessages = Int(r, 11),
                    ConnectionIdleSeconds = Int(r, 12),
                },
            });
        }, ct).ConfigureAwait(false);

        var pauses = new List<Pause>();
        await ReadAsync(connection, tx, "SELECT id, mta, pool, domain, ip, tag, cluster, expire, created_by, created, instance FROM paused ORDER BY id", r =>
            pauses.Add(new Pause
            {
                Id = r.GetInt64(0),
                Mta = Text(r, 1),
                Pool = Text(r, 2),
                Domain = Text(r, 3),
                Ip = Text(r, 4),
                Tag = Text(r, 5),
                Cluster = r.GetInt32(6) != 0,
                Expire = Time(r, 7),
                CreatedBy = Text(r, 8),
                Created = Time(r, 9) ?? DateTimeOffset.UnixEpoch,
                Instance = Text(r, 10),
            }), ct).ConfigureAwait(false);

        var errors = new List<ForcedError>();
        await ReadAsync(connection, tx, "SELECT id, code, extended, description, mta, pool, domain, ip, tag, cluster, instance FROM errors ORDER BY id", r =>
            errors.Add(new ForcedError
            {
                Id = r.GetInt64(0),
                Code = r.GetInt32(1),
                Extended = Text(r, 2),
                Description = Text(r, 3),
                Mta = Text(r, 4),
                Pool = Text(r, 5),
                Domain = Text(r, 6),
                Ip = Text(r, 7),
                Tag = Text(r, 8),
                Cluster = r.GetInt32(9) != 0,
                Instance = Text(r, 10),
            }), ct).ConfigureAwait(false);

        var suppressions = new List<Suppression>();
        await ReadAsync(connection, tx, "SELECT id, type, value, code, extended, description FROM suppressions ORDER BY id", r =>
            suppressions.Add(new Suppression
            {
                Id = r.GetInt64(0),
                Type = string.Equals(r.GetString(1), "domain", StringComparison.OrdinalIgnoreCase) ? SuppressionType.Domain : SuppressionType.Address,
                Value = r.GetString(2),
                Code = Int(r, 3),
                Extended = Text(r, 4),
                Description = Text(r, 5),
            }), ct).ConfigureAwait(false);

        var pools = new List<IpPool>();
        await ReadAsync(connection, tx, "SELECT name, description FROM pools ORDER BY name", r =>
            pools.Add(new IpPool(r.GetString(0), Text(r, 1))), ct).ConfigureAwait(false);
        var poolIps = new List<PoolIp>();
        await ReadAsync(connection, tx, "SELECT ip, name FROM pool_ips ORDER BY name, ip", r =>
            poolIps.Add(new PoolIp(r.GetString(0), r.GetString(1))), ct).ConfigureAwait(false);

        var locals = new List<LocalAddress>();
        await ReadAsync(connection, tx, "SELECT id, pattern, type FROM locals ORDER BY id", r =>
        {
            if (PatternTypes.TryParse(r.GetString(2), out var type) && type != PatternType.Global)
                locals.Add(new LocalAddress(r.GetInt64(0), r.GetString(1), type));
        }, ct).ConfigureAwait(false);

        var dkimPatterns = new Dictionary<long, List<DkimPattern>>();
        await ReadAsync(connection, tx, "SELECT id, key_id, pattern, type FROM dkim_patterns ORDER BY id", r =>
        {
            if (!PatternTypes.TryParse(r.GetString(3), out var type)) return;
            long keyId = r.GetInt64(1);
            if (!dkimPatterns.TryGetValue(keyId, out var list)) dkimPatterns[keyId] = list = [];
            list.Add(new DkimPattern(r.GetInt64(0), keyId, r.GetString(2), type));
        }, ct).ConfigureAwait(false);
        var keys = new List<DkimKey>();
        await ReadAsync(connection, tx, "SELECT id, domain, selector, algorithm, privatekey, headers, expire, priority FROM dkim_keys ORDER BY id", r =>
        {
            long id = r.GetInt64(0);
            keys.Add(new DkimKey
            {
                Id = id,
                Domain = r.GetString(1),
                Selector = r.GetString(2),
                Algorithm = r.GetString(3),
                PrivateKeyPem = r.GetString(4),
                Headers = SplitList(Text(r, 5), ':'),
                Expire = Time(r, 6),
                Priority = r.GetInt32(7),
                Patterns = dkimPatterns.TryGetValue(id, out var p) ? p : [],
            });
        }, ct).ConfigureAwait(false);

        var dns = new List<DnsOverride>();
        await ReadAsync(connection, tx, "SELECT domain, hosts FROM dns ORDER BY domain", r =>
            dns.Add(new DnsOverride(r.GetString(0), SplitList(r.GetString(1), ','))), ct).ConfigureAwait(false);
        var names = new List<MtaName>();
        await ReadAsync(connection, tx, "SELECT ip, name FROM mtanames ORDER BY ip", r =>
            names.Add(new MtaName(r.GetString(0), r.GetString(1))), ct).ConfigureAwait(false);
        var labels = new List<MtaLabel>();
        await ReadAsync(connection, tx, "SELECT ip, label FROM mta_labels ORDER BY ip", r =>
            labels.Add(new MtaLabel(r.GetString(0), r.GetString(1))), ct).ConfigureAwait(false);
        var tokens = new List<ApiToken>();
        await ReadAsync(connection, tx, "SELECT name, hash, created FROM api_tokens ORDER BY name", r =>
        {
            if (r.GetString(1) is { Length: 64 } hex)
                tokens.Add(new ApiToken(r.GetString(0), Convert.FromHexString(hex), Time(r, 2) ?? DateTimeOffset.UnixEpoch));
        }, ct).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);

        return new SettingsSnapshot(Interlocked.Increment(ref _loads), new SettingsData
        {
            Throttles = throttles,
            Pauses = pauses,
            ForcedErrors = errors,
            Suppressions = suppressions,
            Pools = pools,
            PoolIps = poolIps,
            Locals = locals,
            DkimKeys = keys,
            DnsOverrides = dns,
            MtaNames = names,
            MtaLabels = labels,
            Tokens = tokens,
            LocalInstance = InstanceId,
        });
    }

    // ---- throttles -------------------------------------------------------------------------------

    public ValueTask<Throttle> AddThrottleAsync(Throttle throttle, string user, CancellationToken cancellationToken = default) =>
        WriteAsync(user, "create", "throttle", throttle.Name, async (c, tx, ct) =>
        {
            long id = await InsertAsync(c, tx, """
                INSERT INTO capacity (name, priority, domain_maxmessages, domain_maxconnects, domain_maxconnections, domain_maxidle,
                    ip_maxmessages, ip_maxconnects, ip_maxconnections, ip_maxidle, connection_maxmessages, connection_maxidle)
                VALUES (@name, @priority, @l0, @l1, @l2, @l3, @l4, @l5, @l6, @l7, @l8, @l9) RETURNING id
                """, ct, ThrottleParameters(throttle)).ConfigureAwait(false);
            await InsertRulesAsync(c, tx, id, throttle.Patterns, ct).ConfigureAwait(false);
            return throttle with { Id = id };
        }, cancellationToken);

    public ValueTask<bool> UpdateThrottleAsync(Throttle throttle, string user, CancellationToken cancellationToken = default) =>
        WriteAsync(user, "update", "throttle", $"{throttle.Id} {throttle.Name}", async (c, tx, ct) =>
        {
            var args = new List<(string, object?)>(ThrottleParameters(throttle)) { ("@id", throttle.Id) };
            int n = await NonQueryAsync(c, tx, """
                UPDATE capacity SET name = @name, priority = @priority, domain_maxmessages = @l0, domain_maxconnects = @l1,
                    domain_maxconnections = @l2, domain_maxidle = @l3, ip_maxmessages = @l4, ip_maxconnects = @l5,
                    ip_maxconnections = @l6, ip_maxidle = @l7, connection_maxmessages = @l8, connection_maxidle = @l9
                WHERE id = @id
                """, ct, [.. args]).ConfigureAwait(false);
            if (n == 0) return false;
            await NonQueryAsync(c, tx, "DELETE FROM capacity_rules WHERE capacity_id = @id", ct, ("@id", throttle.Id)).ConfigureAwait(false);
            await InsertRulesAsync(c, tx, throttle.Id, throttle.Patterns, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public ValueTask<bool> DeleteThrottleAsync(long id, string user, CancellationToken cancellationToken = default) =>
        WriteAsync(user, "delete", "throttle", id.ToString(CultureInfo.InvariantCulture), async (c, tx, ct) =>
        {
            await NonQueryAsync(c, tx, "DELETE FROM capacity_rules WHERE capacity_id = @id", ct, ("@id", id)).ConfigureAwait(false);
            return await NonQueryAsync(c, tx, "DELETE FROM capacity WHERE id = @id", ct, ("@id", id)).ConfigureAwait(false) > 0;
        }, cancellationToken);

    private static (string, object?)[] ThrottleParameters(Throttle t)
    {
        var args = new (string, object?)[2 + ThrottleLimits.Count];
        args[0] = ("@name", t.Name);
        args[1] = ("@priority", t.Priority);
        for (int i = 0; i < ThrottleLimits.Count; i++)
            args[2 + i] = ("@l" + i.ToString(CultureInfo.InvariantCulture), t.Limits.Get((ThrottleLimit)i));
        return args;
    }

    private static async ValueTask InsertRulesAsync(DbConnection c, DbTransaction tx, long id, IReadOnlyList<ThrottlePattern> patterns, CancellationToken ct)
    {
        foreach (var p in patterns)
            await NonQueryAsync(c, tx, "INSERT INTO capacity_rules (capacity_id, mta, domain) VALUES (@id, @mta, @domain)", ct,
                ("@id", id), ("@mta", p.Mta ?? ""), ("@domain", p.Domain ?? "")).ConfigureAwait(false);
    }

    // ---- pauses and forced errors ----------------------------------------------------------------

    /// <summary>The same fields, among the rows this instance sees: cluster-wide ones and its own (<see cref="InstanceId"/>).</summary>
    private const string SelectionWhere =
        "COALESCE(mta, '') = @mta AND COALESCE(pool, '') = @pool AND COALESCE(domain, '') = @domain AND COALESCE(ip, '') = @ip AND COALESCE(tag, '') = @tag"
        + " AND (@instance = '' OR cluster <> 0 OR instance IS NULL OR instance = @instance)";

    private (string, object?)[] Selection(string? mta, string? pool, string? domain, string? ip, string? tag) =>
        [("@mta", mta ?? ""), ("@pool", pool ?? ""), ("@domain", domain ?? ""), ("@ip", ip ?? ""), ("@tag", tag ?? ""), ("@instance", InstanceId ?? "")];

    private static string Describe(string? mta, string? pool, string? domain, string? ip, string? tag) =>
        $"mta={mta} pool={pool} domain={domain} ip={ip} tag={tag}";

    public ValueTask<Pause> AddPauseAsync(Pause pause, string user, CancellationToken cancellationToken = default) =>
        WriteAsync(user, "create", "pause", Describe(pause.Mta, pause.Pool, pause.Domain, pause.Ip, pause.Tag), async (c, tx, ct) =>
        {
            var now = _time.GetUtcNow();
            var sel = Selection(pause.Mta, pause.Pool, pause.Domain, pause.Ip, pause.Tag);
            long? existing = await ScalarLongAsync(c, tx, "SELECT MIN(id) FROM paused WHERE " + SelectionWhere, ct, sel).ConfigureAwait(false);
            if (existing is long id)
            {
                await NonQueryAsync(c, tx, "UPDATE paused SET cluster = @cluster, expire = @expire, instance = @instance WHERE id = @id", ct,
                    ("@cluster", pause.Cluster ? 1 : 0), ("@expire", Unix(pause.Expire)), ("@instance", InstanceId), ("@id", id)).ConfigureAwait(false);
                return pause with { Id = id, CreatedBy = user, Created = now, Instance = InstanceId };
            }
            id = await InsertAsync(c, tx, """
                INSERT INTO paused (mta, pool, domain, ip, tag, cluster, expire, created_by, created, instance)
                VALUES (@mta, @pool, @domain, @ip, @tag, @cluster, @expire, @by, @created, @instance) RETURNING id
                """, ct, ("@mta", Blank(pause.Mta)), ("@pool", Blank(pause.Pool)), ("@domain", Blank(pause.Domain)), ("@ip", Blank(pause.Ip)),
                ("@tag", Blank(pause.Tag)), ("@cluster", pause.Cluster ? 1 : 0), ("@expire", Unix(pause.Expire)), ("@by", user),
                ("@created", now.ToUnixTimeSeconds()), ("@instance", InstanceId)).ConfigureAwait(false);
            return pause with { Id = id, CreatedBy = user, Created = now, Instance = InstanceId };
        }, cancellationToken);

    public ValueTask<int> DeletePausesAsync(Pause selection, string user, CancellationToken cancellationToken = default) =>
        WriteAsync(user, "delete", "pause", Describe(selection.Mta, selection.Pool, selection.Domain, selection.Ip, selection.Tag), (c, tx, ct) =>
            NonQueryAsync(c, tx, "DELETE FROM paused WHERE " + SelectionWhere, ct,
                Selection(selection.Mta, selection.Pool, selection.Domain, selection.Ip, selection.Tag)), cancellationToken);

    public ValueTask<ForcedError> AddForcedErrorAsync(ForcedError error, string user, CancellationToken cancellationToken = default) =>
        WriteAsync(user, "create", "error", $"{error.Code} {Describe(error.Mta, error.Pool, error.Domain, error.Ip, error.Tag)}", async (c, tx, ct) =>
        {
            var sel = Selection(error.Mta, error.Pool, error.Domain, error.Ip, error.Tag);
            long? existing = await ScalarLongAsync(c, tx, "SELECT MIN(id) FROM errors WHERE " + SelectionWhere, ct, sel).ConfigureAwait(false);
            if (existing is long id)
            {
                await NonQueryAsync(c, tx, "UPDATE errors SET code = @code, extended = @extended, description = @description, cluster = @cluster, instance = @instance WHERE id = @id", ct,
                    ("@code", error.Code), ("@extended", Blank(error.Extended)), ("@description", Blank(error.Description)),
                    ("@cluster", error.Cluster ? 1 : 0), ("@instance", InstanceId), ("@id", id)).ConfigureAwait(false);
                return error with { Id = id, Instance = InstanceId };
            }
            id = await InsertAsync(c, tx, """
                INSERT INTO errors (code, extended, description, mta, pool, domain, ip, tag, cluster, instance)
                VALUES (@code, @extended, @description, @mta, @pool, @domain, @ip, @tag, @cluster, @instance) RETURNING id
                """, ct, ("@code", error.Code), ("@extended", Blank(error.Extended)), ("@description", Blank(error.Description)),
                ("@mta", Blank(error.Mta)), ("@pool", Blank(error.Pool)), ("@domain", Blank(error.Domain)), ("@ip", Blank(error.Ip)),
                ("@tag", Blank(error.Tag)), ("@cluster", error.Cluster ? 1 : 0), ("@instance", InstanceId)).ConfigureAwait(false);
            return error with { Id = id, Instance = InstanceId };
        }, cancellationToken);

    public ValueTask<int> DeleteForcedErrorsAsync(ForcedError selection, string user, CancellationToken cancellationToken = default) =>
        WriteAsync(user, "delete", "error", Describe(selection.Mta, selection.Pool, selection.Domain, selection.Ip, selection.Tag), (c, tx, ct) =>
            NonQueryAsync(c, tx, "DELETE FROM errors WHERE " + SelectionWhere, ct,
                Selection(selection.Mta, selection.Pool, selection.Domain, selection.Ip, selection.Tag)), cancellationToken);

    // ---- suppressions, pools ---------------------------------------------------------------------

    public ValueTask<Suppression> AddSuppressionAsync(Suppression suppression, string user, CancellationToken cancellationToken = default) =>
        WriteAsync(user, "create", "suppression", suppression.Value, async (c, tx, ct) =>
        {
            await NonQueryAsync(c, tx, "DELETE FROM suppressions WHERE value = @value", ct, ("@value", suppression.Value)).ConfigureAwait(false);
            long id = await InsertAsync(c, tx, """
                INSERT INTO suppressions (type, value, code, extended, description)
                VALUES (@type, @value, @code, @extended, @description) RETURNING id
                """, ct, ("@type", suppression.Type == SuppressionType.Domain ? "domain" : "address"), ("@value", suppression.Value),
                ("@code", suppression.Code), ("@extended", Blank(suppression.Extended)), ("@description", Blank(suppression.Description))).ConfigureAwait(false);
            return suppression with { Id = id };
        }, cancellationToken);

    public ValueTask<bool> DeleteSuppressionAsync(string value, string user, CancellationToken cancellationToken = default) =>
        WriteAsync(user, "delete", "suppression", value, async (c, tx, ct) =>
            await NonQueryAsync(c, tx, "DELETE FROM suppressions WHERE value = @value", ct, ("@value", value)).ConfigureAwait(false) > 0,
            cancellationToken);

    public ValueTask AddPoolAsync(IpPool pool, string user, CancellationToken cancellationToken = default) =>
        WriteVoidAsync(user, "create", "pool", pool.Name, async (c, tx, ct) =>
        {
            int n = await NonQueryAsync(c, tx, "UPDATE pools SET description = @description WHERE name = @name", ct,
                ("@name", pool.Name), ("@description", Blank(pool.Description))).ConfigureAwait(false);
            if (n == 0)
                await NonQueryAsync(c, tx, "INSERT INTO pools (name, description) VALUES (@name, @description)", ct,
                    ("@name", pool.Name), ("@description", Blank(pool.Description))).ConfigureAwait(false);
        }, cancellationToken);

    public ValueTask<bool> DeletePoolAsync(string name, string user, CancellationToken cancellationToken = default) =>
        WriteAsync(user, "delete", "pool", name, async (c, tx, ct) =>
        {
            await NonQueryAsync(c, tx, "DELETE FROM pool_ips WHERE name = @name", ct, ("@name", name)).ConfigureAwait(false);
            return await NonQueryAsync(c, tx, "DELETE FROM pools WHERE name = @name", ct, ("@name", name)).ConfigureAwait(false) > 0;
        }, cancellationToken);

    public ValueTask AddPoolIpAsync(PoolIp ip, string user, CancellationToken cancellationToken = default) =>
        WriteVoidAsync(user, "create", "poolip", $"{ip.Ip} {ip.Name}", async (c, tx, ct) =>
        {
            if (await ScalarTextAsync(c, tx, "SELECT name FROM pools WHERE name = @name", ct, ("@name", ip.Name)).ConfigureAwait(false) is null)
                throw new SettingsConflictException($"pool {ip.Name} does not exist");
            var current = await ScalarTextAsync(c, tx, "SELECT name FROM pool_ips WHERE ip = @ip", ct, ("@ip", ip.Ip)).ConfigureAwait(false);
            if (current == ip.Name) return;
            if (current is not null) throw new SettingsConflictException($"{ip.Ip} is already in pool {current}");
            await NonQueryAsync(c, tx, "INSERT INTO pool_ips (ip, name) VALUES (@ip, @name)", ct, ("@ip", ip.Ip), ("@name", ip.Name)).ConfigureAwait(false);
        }, cancellationToken);

    public ValueTask<bool> DeletePoolIpAsync(PoolIp ip, string user, CancellationToken cancellationToken = default) =>
        WriteAsync(user, "delete", "poolip", $"{ip.Ip} {ip.Name}", async (c, tx, ct) =>
            await NonQueryAsync(c, tx, "DELETE FROM pool_ips WHERE ip = @ip AND (@name = '' OR name = @name)", ct,
                ("@ip", ip.Ip), ("@name", ip.Name ?? "")).ConfigureAwait(false) > 0, cancellationToken);

    // ---- locals, DKIM, DNS, EHLO names, tokens ---------------------------------------------------

    public ValueTask<LocalAddress> AddLocalAsync(string pattern, PatternType type, string user, CancellationToken cancellationToken = default) =>
        WriteAsync(user, "create", "local", $"{PatternTypes.ToText(type)} {pattern}", async (c, tx, ct) =>
        {
            long id = await InsertAsync(c, tx, "INSERT INTO locals (pattern, type) VALUES (@pattern, @type) RETURNING id", ct,
                ("@pattern", pattern), ("@type", PatternTypes.ToText(type))).ConfigureAwait(false);
            return new LocalAddress(id, pattern, type);
        }, cancellationToken);

    public ValueTask<bool> DeleteLocalAsync(long id, string user, CancellationToken cancellationToken = default) =>
        WriteAsync(user, "delete", "local", id.ToString(CultureInfo.InvariantCulture), async (c, tx, ct) =>
            await NonQueryAsync(c, tx, "DELETE FROM locals WHERE id = @id", ct, ("@id", id)).ConfigureAwait(false) > 0, cancellationToken);

    public ValueTask<DkimKey> AddDkimKeyAsync(DkimKey key, string user, CancellationToken cancellationToken = default) =>
        WriteAsync(user, "create", "dkim", $"{key.Domain} {key.Selector}", async (c, tx, ct) =>
        {
            if (await ScalarLongAsync(c, tx, "SELECT id FROM dkim_keys WHERE domain = @domain AND selector = @selector", ct,
                    ("@domain", key.Domain), ("@selector", key.Selector)).ConfigureAwait(false) is not null)
                throw new SettingsConflictException($"a key for {key.Domain} with selector {key.Selector} exists");
            long id = await InsertAsync(c, tx, """
                INSERT INTO dkim_keys (domain, selector, algorithm, privatekey, headers, expire, priority)
                VALUES (@domain, @selector, @algorithm, @key, @headers, @expire, @priority) RETURNING id
                """, ct, ("@domain", key.Domain), ("@selector", key.Selector), ("@algorithm", key.Algorithm), ("@key", key.PrivateKeyPem),
                ("@headers", key.Headers.Count == 0 ? null : string.Join(':', key.Headers)), ("@expire", Unix(key.Expire)),
                ("@priority", key.Priority)).ConfigureAwait(false);
            return key with { Id = id, Patterns = [] };
        }, cancellationToken);

    public ValueTask<bool> DeleteDkimKeyAsync(string domain, string selector, string user, CancellationToken cancellationToken = default) =>
        WriteAsync(user, "delete", "dkim", $"{domain} {selector}", async (c, tx, ct) =>
        {
            long? id = await ScalarLongAsync(c, tx, "SELECT id FROM dkim_keys WHERE domain = @domain AND selector = @selector", ct,
                ("@domain", domain), ("@selector", selector)).ConfigureAwait(false);
            if (id is null) return false;
            await NonQueryAsync(c, tx, "DELETE FROM dkim_patterns WHERE key_id = @id", ct, ("@id", id.Value)).ConfigureAwait(false);
            await NonQueryAsync(c, tx, "DELETE FROM dkim_keys WHERE id = @id", ct, ("@id", id.Value)).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public ValueTask<DkimPattern> AddDkimPatternAsync(long keyId, string pattern, PatternType type, string user, CancellationToken cancellationToken = default) =>
        WriteAsync(user, "create", "dkimpattern", $"{keyId} {PatternTypes.ToText(type)} {pattern}", async (c, tx, ct) =>
        {
            if (await ScalarLongAsync(c, tx, "SELECT id FROM dkim_keys WHERE id = @id", ct, ("@id", keyId)).ConfigureAwait(false) is null)
                throw new SettingsConflictException($"DKIM key {keyId} does not exist");
            long id = await InsertAsync(c, tx, "INSERT INTO dkim_patterns (key_id, pattern, type) VALUES (@key, @pattern, @type) RETURNING id", ct,
                ("@key", keyId), ("@pattern", pattern), ("@type", PatternTypes.ToText(type))).ConfigureAwait(false);
            return new DkimPattern(id, keyId, pattern, type);
        }, cancellationToken);

    public ValueTask<bool> DeleteDkimPatternAsync(long id, string user, CancellationToken cancellationToken = default) =>
        WriteAsync(user, "delete", "dkimpattern", id.ToString(CultureInfo.InvariantCulture), async (c, tx, ct) =>
            await NonQueryAsync(c, tx, "DELETE FROM dkim_patterns WHERE id = @id", ct, ("@id", id)).ConfigureAwait(false) > 0, cancellationToken);

    public ValueTask<DkimKey?> UpdateDkimKeyAsync(DkimKey key, string user, CancellationToken cancellationToken = default) =>
        WriteAsync<DkimKey?>(user, "update", "dkim",
            $"{key.Domain} {key.Selector} priority={key.Priority} expire={Unix(key.Expire)} headers={string.Join(':', key.Headers)} patterns={key.Patterns.Count}",
            async (c, tx, ct) =>
        {
            int n = await NonQueryAsync(c, tx, "UPDATE dkim_keys SET headers = @headers, expire = @expire, priority = @priority WHERE id = @id", ct,
                ("@headers", key.Headers.Count == 0 ? null : string.Join(':', key.Headers)), ("@expire", Unix(key.Expire)),
                ("@priority", key.Priority), ("@id", key.Id)).ConfigureAwait(false);
            if (n == 0) return null;
            // Patterns are replaced as a set, as a throttle's are: the edit form sends the list it shows.
            await NonQueryAsync(c, tx, "DELETE FROM dkim_patterns WHERE key_id = @id", ct, ("@id", key.Id)).ConfigureAwait(false);
            var patterns = new List<DkimPattern>(key.Patterns.Count);
            foreach (var p in key.Patterns)
            {
                long id = await InsertAsync(c, tx, "INSERT INTO dkim_patterns (key_id, pattern, type) VALUES (@key, @pattern, @type) RETURNING id", ct,
                    ("@key", key.Id), ("@pattern", p.Pattern), ("@type", PatternTypes.ToText(p.Type))).ConfigureAwait(false);
                patterns.Add(new DkimPattern(id, key.Id, p.Pattern, p.Type));
            }
            return key with { Patterns = patterns };
        }, cancellationToken);

    public ValueTask SetDnsOverrideAsync(DnsOverride dnsOverride, string user, CancellationToken cancellationToken = default) =>
        WriteVoidAsync(user, "set", "dns", $"{dnsOverride.Domain} {string.Join(',', dnsOverride.Hosts)}", async (c, tx, ct) =>
        {
            await NonQueryAsync(c, tx, "DELETE FROM dns WHERE domain = @domain", ct, ("@domain", dnsOverride.Domain)).ConfigureAwait(false);
            await NonQueryAsync(c, tx, "INSERT INTO dns (domain, hosts) VALUES (@domain, @hosts)", ct,
                ("@domain", dnsOverride.Domain), ("@hosts", string.Join(',', dnsOverride.Hosts))).ConfigureAwait(false);
        }, cancellationToken);

    public ValueTask<bool> DeleteDnsOverrideAsync(string domain, string user, CancellationToken cancellationToken = default) =>
        WriteAsync(user, "delete", "dns", domain, async (c, tx, ct) =>
            await NonQueryAsync(c, tx, "DELETE FROM dns WHERE domain = @domain", ct, ("@domain", domain)).ConfigureAwait(false) > 0, cancellationToken);

    public ValueTask SetMtaNameAsync(MtaName name, string user, CancellationToken cancellationToken = default) =>
        WriteVoidAsync(user, "set", "mtaname", $"{name.Ip} {name.Name}", async (c, tx, ct) =>
        {
            await NonQueryAsync(c, tx, "DELETE FROM mtanames WHERE ip = @ip", ct, ("@ip", name.Ip)).ConfigureAwait(false);
            await NonQueryAsync(c, tx, "INSERT INTO mtanames (ip, name) VALUES (@ip, @name)", ct, ("@ip", name.Ip), ("@name", name.Name)).ConfigureAwait(false);
        }, cancellationToken);

    public ValueTask<bool> DeleteMtaNameAsync(string ip, string user, CancellationToken cancellationToken = default) =>
        WriteAsync(user, "delete", "mtaname", ip, async (c, tx, ct) =>
            await NonQueryAsync(c, tx, "DELETE FROM mtanames WHERE ip = @ip", ct, ("@ip", ip)).ConfigureAwait(false) > 0, cancellationToken);

    public ValueTask SetMtaLabelAsync(MtaLabel label, string user, CancellationToken cancellationToken = default) =>
        WriteVoidAsync(user, "set", "mtalabel", $"{label.Ip} {label.Label}", async (c, tx, ct) =>
        {
            await NonQueryAsync(c, tx, "DELETE FROM mta_labels WHERE ip = @ip", ct, ("@ip", label.Ip)).ConfigureAwait(false);
            await NonQueryAsync(c, tx, "INSERT INTO mta_labels (ip, label) VALUES (@ip, @label)", ct, ("@ip", label.Ip), ("@label", label.Label)).ConfigureAwait(false);
        }, cancellationToken);

    public ValueTask<bool> DeleteMtaLabelAsync(string ip, string user, CancellationToken cancellationToken = default) =>
        WriteAsync(user, "delete", "mtalabel", ip, async (c, tx, ct) =>
            await NonQueryAsync(c, tx, "DELETE FROM mta_labels WHERE ip = @ip", ct, ("@ip", ip)).ConfigureAwait(false) > 0, cancellationToken);

    public ValueTask AddTokenAsync(ApiToken token, string user, CancellationToken cancellationToken = default) =>
        WriteVoidAsync(user, "create", "token", token.Name, async (c, tx, ct) =>
        {
            if (await ScalarTextAsync(c, tx, "SELECT name FROM api_tokens WHERE name = @name", ct, ("@name", token.Name)).ConfigureAwait(false) is not null)
                throw new SettingsConflictException($"a token named {token.Name} exists");
            await NonQueryAsync(c, tx, "INSERT INTO api_tokens (name, hash, created) VALUES (@name, @hash, @created)", ct,
                ("@name", token.Name), ("@hash", Convert.ToHexStringLower(token.Hash)), ("@created", token.Created.ToUnixTimeSeconds())).ConfigureAwait(false);
        }, cancellationToken);

    public ValueTask<bool> DeleteTokenAsync(string name, string user, CancellationToken cancellationToken = default) =>
        WriteAsync(user, "delete", "token", name, async (c, tx, ct) =>
            await NonQueryAsync(c, tx, "DELETE FROM api_tokens WHERE name = @name", ct, ("@name", name)).ConfigureAwait(false) > 0, cancellationToken);

    public async ValueTask<IReadOnlyList<AuditEntry>> ReadAuditAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<AuditEntry>();
        await ReadAsync(connection, null, "SELECT id, time, username, action, target, detail FROM audit ORDER BY id DESC LIMIT " +
            Math.Clamp(limit, 1, 10_000).ToString(CultureInfo.InvariantCulture), r =>
            entries.Add(new AuditEntry(r.GetInt64(0), Time(r, 1) ?? DateTimeOffset.UnixEpoch, r.GetString(2), r.GetString(3), r.GetString(4), Text(r, 5))),
            cancellationToken).ConfigureAwait(false);
        return entries;
    }

    public async ValueTask DisposeAsync()
    {
        _writeGate.Dispose();
        if (_owned is not null) await _owned.DisposeAsync().ConfigureAwait(false);
    }

    // ---- plumbing ---------------------------------------------------------------------------------

    private async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = _connect();
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private ValueTask WriteVoidAsync(string user, string action, string target, string detail,
        Func<DbConnection, DbTransaction, CancellationToken, Task> body, CancellationToken cancellationToken) =>
        new(WriteAsync<bool>(user, action, target, detail, async (c, tx, ct) =>
        {
            await body(c, tx, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).AsTask());

    /// <summary>Runs <paramref name="body"/> and the audit row in one transaction, one writer at a time.</summary>
    private async ValueTask<T> WriteAsync<T>(string user, string action, string target, string detail,
        Func<DbConnection, DbTransaction, CancellationToken, Task<T>> body, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var result = await body(connection, tx, cancellationToken).ConfigureAwait(false);
            await NonQueryAsync(connection, tx, "INSERT INTO audit (time, username, action, target, detail) VALUES (@t, @u, @a, @g, @d)", cancellationToken,
                ("@t", _time.GetUtcNow().ToUnixTimeSeconds()), ("@u", user), ("@a", action), ("@g", target),
                ("@d", detail.Length > 4000 ? detail[..4000] : detail)).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, params ReadOnlySpan<(string Name, object? Value)> args)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in args)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    private static async Task ExecuteAsync(DbConnection c, DbTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = Command(c, tx, sql);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task<int> NonQueryAsync(DbConnection c, DbTransaction tx, string sql, CancellationToken ct, params (string, object?)[] args)
    {
        await using var cmd = Command(c, tx, sql, args);
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task<long> InsertAsync(DbConnection c, DbTransaction tx, string sql, CancellationToken ct, params (string, object?)[] args)
    {
        await using var cmd = Command(c, tx, sql, args);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private static async Task<long?> ScalarLongAsync(DbConnection c, DbTransaction tx, string sql, CancellationToken ct, params (string, object?)[] args)
    {
        await using var cmd = Command(c, tx, sql, args);
        var value = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    private static async Task<string?> ScalarTextAsync(DbConnection c, DbTransaction tx, string sql, CancellationToken ct, params (string, object?)[] args)
    {
        await using var cmd = Command(c, tx, sql, args);
        var value = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return value is null or DBNull ? null : (string)value;
    }

    private static async Task ReadAsync(DbConnection c, DbTransaction? tx, string sql, Action<DbDataReader> row, CancellationToken ct)
    {
        await using var cmd = Command(c, tx, sql);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) row(r);
    }

    private static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static int? Int(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt32(i);

    private static DateTimeOffset? Time(DbDataReader r, int i) => r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(i));

    private static long? Unix(DateTimeOffset? time) => time?.ToUnixTimeSeconds();

    /// <summary>Empty text is stored as NULL: MailerQ treats both as "not set".</summary>
    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string[] SplitList(string? text, char separator) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
