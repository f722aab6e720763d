using System.Globalization;
using System.Security.Cryptography;

namespace MailerQ.Www.Smtp.Settings;

/// <summary>
/// Schema upkeep (<c>database-validate</c>, <c>--repair-database</c>, <c>--purge-database</c>, 5.13/database-access.md),
/// the health probe, and the two cluster tables (the shared signing key, used switch tokens).
/// </summary>
internal sealed partial class SqlSettingsStore
{
    /// <summary>
    /// Compares the tables and columns with what the migrations define (<see cref="SchemaReference"/>) and returns the
    /// differences still there afterwards. With <paramref name="repair"/>, missing tables are created and missing
    /// columns added first (MailerQ: "startup fails on broken schema unless --repair-database"). Extra tables and
    /// columns are left alone: they harm nothing and may be the operator's.
    /// </summary>
    public async Task<IReadOnlyList<string>> CheckSchemaAsync(bool repair, CancellationToken cancellationToken = default)
    {
        var reference = SchemaReference.Current;
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (_dialect.MigrationLock is { } lockSql) await ExecuteAsync(connection, tx, lockSql, cancellationToken).ConfigureAwait(false);
        var tables = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await ReadAsync(connection, tx, _dialect.ListTables, r => tables.Add(r.GetString(0)), cancellationToken).ConfigureAwait(false);
        var problems = new List<string>();
        foreach (var (table, columns) in reference.Tables)
        {
            if (!tables.Contains(table))
            {
                if (repair)
                {
                    // The CREATE of the migration that made the table; columns later migrations added follow below.
                    await ExecuteAsync(connection, tx, _dialect.Ddl(reference.Creates[table]), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    problems.Add($"table {table} is missing");
                    continue;
                }
            }
            var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            await using (var cmd = Command(connection, tx, _dialect.ListColumns, ("@table", table)))
            await using (var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                while (await r.ReadAsync(cancellationToken).ConfigureAwait(false)) present.Add(r.GetString(0));
            foreach (var column in columns)
            {
                if (present.Contains(column.Name)) continue;
                if (repair && column.AddColumnSql(table) is { } add)
                    await ExecuteAsync(connection, tx, add, cancellationToken).ConfigureAwait(false);
                else
                    problems.Add($"table {table} has no column {column.Name}");
            }
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return problems;
    }

    /// <summary>
    /// <c>--purge-database</c>: drops every settings table and the version table, so the next <see cref="MigrateAsync"/>
    /// creates them empty. Other tables in the database are not touched.
    /// </summary>
    public async Task PurgeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (_dialect.MigrationLock is { } lockSql) await ExecuteAsync(connection, tx, lockSql, cancellationToken).ConfigureAwait(false);
        foreach (var table in SchemaReference.Current.Tables.Keys)
            await ExecuteAsync(connection, tx, "DROP TABLE IF EXISTS " + table, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, tx, "DROP TABLE IF EXISTS schema_version", cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A round trip to the database (the health probe); throws what the provider throws when it is down.</summary>
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(connection, null, "SELECT 1");
        await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The secret named <paramref name="name"/> every instance of the cluster shares, created (256 random bits) by
    /// whichever instance asks first; the others read the same row.
    /// </summary>
    public async Task<byte[]> ClusterKeyAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var insert = Command(connection, null,
            "INSERT INTO cluster_keys (name, secret, created) VALUES (@name, @secret, @created) ON CONFLICT (name) DO NOTHING",
            ("@name", name), ("@secret", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))), ("@created", _time.GetUtcNow().ToUnixTimeSeconds())))
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await using var select = Command(connection, null, "SELECT secret FROM cluster_keys WHERE name = @name", ("@name", name));
        var secret = (string?)await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"cluster key {name} vanished");
        return Convert.FromHexString(secret);
    }

    /// <summary>
    /// Records a one-time token's nonce; false when it was recorded before (a replay). Nonces past their expiry are
    /// forgotten on the way: by then the token itself is refused for its age.
    /// </summary>
    public async Task<bool> TryUseOnceAsync(string nonce, DateTimeOffset expire, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var sweep = Command(connection, tx, "DELETE FROM cluster_tokens_used WHERE expire < @now", ("@now", _time.GetUtcNow().ToUnixTimeSeconds())))
            await sweep.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        int n;
        await using (var insert = Command(connection, tx, "INSERT INTO cluster_tokens_used (nonce, expire) VALUES (@nonce, @expire) ON CONFLICT (nonce) DO NOTHING",
            ("@nonce", nonce), ("@expire", expire.ToUnixTimeSeconds())))
            n = await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return n == 1;
    }

    /// <summary>Rows in <paramref name="table"/> (tests, diagnostics); the name is one of ours, never user input.</summary>
    internal async Task<long> CountAsync(string table, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(connection, null, "SELECT COUNT(*) FROM " + table);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <summary>Runs one statement outside the store's API (tests that damage the schema on purpose).</summary>
    internal async Task ExecuteRawAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(connection, null, sql);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
