namespace MailerQ.Www.Smtp.Settings;

/// <summary>
/// The settings tables, as numbered migrations. MailerQ's table names where its docs give them
/// (5.13/database-access.md: capacity, capacity_rules, paused, errors, locals, dkim_keys, dkim_patterns, dns,
/// mtanames) and 3.0's capacity column names; ours for the rest (suppressions, pools, pool_ips, api_tokens,
/// audit). MailerQ conventions: plain types, no foreign keys, booleans as integers, times as Unix seconds.
/// A migration is never edited once released: changes come as a new number.
/// </summary>
internal static class SettingsSchema
{
    /// <summary>Version → statements. Applied in order, all pending ones in one transaction.</summary>
    public static readonly IReadOnlyList<(int Version, string[] Statements)> Migrations =
    [
        (1,
        [
            """
            CREATE TABLE capacity (
                id {id},
                name VARCHAR(255) NOT NULL,
                priority INTEGER NOT NULL DEFAULT 0,
                domain_maxmessages INTEGER,
                domain_maxconnects INTEGER,
                domain_maxconnections INTEGER,
                domain_maxidle INTEGER,
                ip_maxmessages INTEGER,
                ip_maxconnects INTEGER,
                ip_maxconnections INTEGER,
                ip_maxidle INTEGER,
                connection_maxmessages INTEGER,
                connection_maxidle INTEGER)
            """,
            "CREATE TABLE capacity_rules (id {id}, capacity_id BIGINT NOT NULL, mta VARCHAR(255) NOT NULL DEFAULT '', domain VARCHAR(255) NOT NULL DEFAULT '')",
            """
            CREATE TABLE paused (
                id {id}, mta VARCHAR(64), pool VARCHAR(64), domain VARCHAR(255), ip VARCHAR(64), tag VARCHAR(255),
                cluster INTEGER NOT NULL DEFAULT 0, expire BIGINT, created_by VARCHAR(255), created BIGINT NOT NULL)
            """,
            """
            CREATE TABLE errors (
                id {id}, code INTEGER NOT NULL, extended VARCHAR(16), description VARCHAR(1000),
                mta VARCHAR(64), pool VARCHAR(64), domain VARCHAR(255), ip VARCHAR(64), tag VARCHAR(255),
                cluster INTEGER NOT NULL DEFAULT 0)
            """,
            """
            CREATE TABLE suppressions (
                id {id}, type VARCHAR(16) NOT NULL, value VARCHAR(320) NOT NULL UNIQUE,
                code INTEGER, extended VARCHAR(16), description VARCHAR(1000))
            """,
            "CREATE TABLE pools (name VARCHAR(64) NOT NULL PRIMARY KEY, description VARCHAR(1000))",
            "CREATE TABLE pool_ips (ip VARCHAR(64) NOT NULL PRIMARY KEY, name VARCHAR(64) NOT NULL)",
            "CREATE TABLE locals (id {id}, pattern VARCHAR(1000) NOT NULL, type VARCHAR(16) NOT NULL)",
            """
            CREATE TABLE dkim_keys (
                id {id}, domain VARCHAR(255) NOT NULL, selector VARCHAR(255) NOT NULL, algorithm VARCHAR(32) NOT NULL,
                privatekey TEXT NOT NULL, headers VARCHAR(1000), expire BIGINT, priority INTEGER NOT NULL DEFAULT 0,
                UNIQUE (domain, selector))
            """,
            "CREATE TABLE dkim_patterns (id {id}, key_id BIGINT NOT NULL, pattern VARCHAR(1000) NOT NULL, type VARCHAR(16) NOT NULL)",
            "CREATE TABLE dns (domain VARCHAR(255) NOT NULL PRIMARY KEY, hosts VARCHAR(2000) NOT NULL)",
            "CREATE TABLE mtanames (ip VARCHAR(64) NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL)",
            "CREATE TABLE api_tokens (name VARCHAR(64) NOT NULL PRIMARY KEY, hash VARCHAR(64) NOT NULL, created BIGINT NOT NULL)",
            """
            CREATE TABLE audit (
                id {id}, time BIGINT NOT NULL, username VARCHAR(255) NOT NULL, action VARCHAR(32) NOT NULL,
                target VARCHAR(64) NOT NULL, detail VARCHAR(4000))
            """,
        ]),
        // 2: the console's display names of MTA IPs (MailerQ keeps only the EHLO name, mtanames).
        (2,
        [
            "CREATE TABLE mta_labels (ip VARCHAR(64) NOT NULL PRIMARY KEY, label VARCHAR(255) NOT NULL)",
        ]),
        // 3 — cluster (issue 11): pauses and forced errors without "cluster" apply only on the instance that made
        // them; the key that signs console switch tokens, shared by every instance; switch tokens already used.
        (3,
        [
            "ALTER TABLE paused ADD COLUMN instance VARCHAR(255)",
            "ALTER TABLE errors ADD COLUMN instance VARCHAR(255)",
            "CREATE TABLE cluster_keys (name VARCHAR(64) NOT NULL PRIMARY KEY, secret VARCHAR(128) NOT NULL, created BIGINT NOT NULL)",
            "CREATE TABLE cluster_tokens_used (nonce VARCHAR(64) NOT NULL PRIMARY KEY, expire BIGINT NOT NULL)",
        ]),
    ];

    /// <summary>The newest schema version this program knows.</summary>
    public static int Latest => Migrations[^1].Version;
}
