using System.Collections.Frozen;
using System.Globalization;

namespace MailerQ.Www.Core.Config;

/// <summary>
/// The config keys MailerQ 5.13 documents (../shared/mailerq-reference.md section 2) plus our own
/// <c>data-directory</c>, <c>www-pam-service</c> and <c>dns-servers</c>. Anything else draws an "unknown key, ignored" warning,
/// because MailerQ configs carry many keys this program does not implement (CONTRACT.md "Config file").
/// </summary>
/// <remarks>
/// A default is listed only where MailerQ documents one and where merely having a value does not switch a
/// feature on: <c>smtp-sink-address</c>, <c>lock</c> or <c>rabbitmq-address</c> stay unset, and keys whose
/// default is derived (<c>rabbitmq-inbox</c> = outbox, <c>cluster-address</c> = rabbitmq-address,
/// <c>database-address</c> = SQLite in data-directory) are resolved by their users.
/// The 3.0-era throttle keys (<c>domain-maxmessages</c>, …) are absent on purpose: 5.x moved them to the
/// database (5.13/configuration.md), so they are reported as unknown.
/// </remarks>
internal static class KnownKeys
{
    private static readonly KnownKey[] Table =
    [
        // Console (5.13/management-console.md, logging.md, settings-alphabetical.md).
        new("www-port", WwwSettings.DefaultPort.ToString(CultureInfo.InvariantCulture)),
        new("www-ip", null),
        new("www-dir", WwwSettings.DefaultDir),
        new("www-connections", WwwSettings.DefaultConnections.ToString(CultureInfo.InvariantCulture)),
        new("www-password", null),
        new("www-auth", null, KnownKeyFlags.Repeatable),
        new("www-secure-port", null),
        new("www-certificate", null),
        new("www-privatekey", null),
        new("www-ciphers", null),
        new("www-host", null),
        new("www-url", null),
        new("www-cache-control", null),
        new("www-log-file", null),
        new("www-bin-log-file", null),
        new("www-log-format", null),
        new("render-useragent", null),
        new("www-pam-service", null),

        // Ours: where the embedded queue, default SQLite database, message store and secrets live.
        new("data-directory", GeneralSettings.DefaultDataDirectory),

        // Inbound SMTP (5.13/smtp-server.md, smarthost.md).
        new("smtp-port", "25", KnownKeyFlags.List),
        new("smtp-secure-port", null, KnownKeyFlags.List),
        new("smtp-ip", null),
        new("smtp-certificate", null),
        new("smtp-key", null),
        new("smtp-ciphers", null),
        // Same scheme list as www-auth (5.13/smtp-server.md "Authentication"), so it repeats the same way.
        new("smtp-auth", null, KnownKeyFlags.Repeatable),
        new("smtp-range", null, KnownKeyFlags.List),
        new("smtp-proxy", null, KnownKeyFlags.List),
        new("smtp-default-ips", null, KnownKeyFlags.List),
        new("smtp-mappable-ips", null, KnownKeyFlags.List),
        new("smtp-unmappable-ips", null, KnownKeyFlags.List),
        new("smtp-check", null, KnownKeyFlags.List),
        new("smtp-auth-results", null, KnownKeyFlags.List),
        new("smtp-validate-address", null),
        new("smtp-connections", null),
        new("smtp-connections-in", null),
        new("smtp-connections-out", null),
        new("smtp-maxsize", null),
        new("smtp-threads", "1"),
        new("smtp-timeout", "300"),
        new("smtp-protection", "true"),
        new("smtp-extract", "true"),
        new("smtp-sink-address", null),
        new("smtp-sink-port", "25"),
        new("smtp-sink-username", null),
        new("smtp-sink-password", null),
        new("smarthost", null),
        new("smarthost-port", "25"),
        new("smarthost-username", null),
        new("smarthost-password", null),
        new("spamassassin-host", "localhost"),
        new("spamassassin-port", "783"),

        // Delivery (5.13/other-configuration.md).
        new("max-delivertime", "86400"),
        new("max-attempts", "0"),
        new("retry-interval", "600,600,1800,1800,3600,3600,7200", KnownKeyFlags.List),
        new("validate-envelope", null),
        new("validate-recipient", null),
        new("server-id", null),
        new("user", null),
        new("lock", null),
        new("proxy-server", null),
        new("heartbeat", "true"),
        new("license", null),

        // Settings database and message store (5.13/database-access.md, message-store-options.md).
        new("database-address", null),
        new("database-ttl", "600"),
        new("database-validate", "true"),
        new("database-threads", "10"),
        new("storage-address", null),
        new("storage-policy", null),
        new("storage-threads", "1"),
        new("storage-ttl", "3600"),
        new("storage-timeout", "20"),
        new("storage-reschedule", "120"),

        // RabbitMQ (5.13/rabbitmq-config.md). rabbitmq-address has no default here: unset = embedded queue (CONTRACT.md).
        new("rabbitmq-address", null),
        new("rabbitmq-verify", null),
        new("rabbitmq-declare", "true"),
        new("rabbitmq-outbox", "outbox"),
        new("rabbitmq-inbox", null),
        new("rabbitmq-local", null),
        new("rabbitmq-reports", null),
        new("rabbitmq-refused", null),
        new("rabbitmq-dsn", null),
        new("rabbitmq-results", null),
        new("rabbitmq-success", null),
        new("rabbitmq-failure", null),
        new("rabbitmq-retry", null),
        new("rabbitmq-exchange", ""),
        new("rabbitmq-durable", "true"),
        new("rabbitmq-persistent", "false"),
        new("rabbitmq-lazy", "false"),
        new("rabbitmq-maxpriority", null),
        new("rabbitmq-consumers", "1"),
        new("rabbitmq-publishers", "1"),
        new("rabbitmq-qos", "1000"),
        new("rabbitmq-flush-qos", "1000"),
        new("rabbitmq-minqos", "100"),
        new("rabbitmq-throttle", "100"),
        new("rabbitmq-encoding", "gzip"),

        // Cluster (5.13/cluster.md).
        new("cluster-address", null),
        new("cluster-exchange", "cluster"),
        new("cluster-verify", null),
        new("cluster-timeout", "1"),
        // Ours: how often an instance announces itself (MailerQ: "every few minutes", no key); stale after 3 missed.
        new("cluster-interval", "60"),

        // Logs (5.13/logging.md). application-log is a list: "syslog,/var/log/mailerq/mailerq.log".
        new("application-log", null, KnownKeyFlags.List),
        new("error-log", null),
        new("send-log-file", null),
        new("send-bin-log-file", null),
        new("send-log-format", null),
        new("received-log-file", null),
        new("received-bin-log-file", null),
        new("received-log-format", null),
        new("download-log-file", null),
        new("download-bin-log-file", null),
        new("download-log-format", null),

        // DNS and DSN (5.13/dns-settings.md, sending-bounces.md).
        new("dns-min-ttl", "60"),
        new("dns-timeout", null),
        new("dns-interval", null),
        new("dns-attempts", null),
        new("dns-capacity", null),
        new("dns-sockets", null),
        new("dns-buffersize", null),
        new("dns-rotate", null),
        // Ours: the resolvers to ask (ip[:port] list); unset = the system's /etc/resolv.conf.
        new("dns-servers", null, KnownKeyFlags.List),
        new("dsn-advertise", null),
        new("dsn-notify", "FAILURE", KnownKeyFlags.List),
        new("dsn-ret", "HDRS"),

        // Spool directory (5.13/spool-directory.md) and plugins.
        new("spool-directory", null),
        new("spool-delay", "0"),
        new("spool-extract", "true"),
        new("spool-fail-directory", null),
        new("spool-open-files", "10"),
        new("spool-remove", "true"),
        new("spool-threads", "1"),
        new("plugin-directory", null),

        // Responsive-email resource downloads.
        new("download-blacklist", null, KnownKeyFlags.List),
        new("download-whitelist", null, KnownKeyFlags.List),
        new("download-cache", null),
        new("download-ttl", "3600"),
        new("download-proxy", null),
        new("download-user-agent", null),
    ];

    /// <summary>
    /// Spellings MailerQ's own docs use for the same setting: the A-Z list writes <c>www-private-key</c> and
    /// <c>heartbeat-enabled</c>, json-messages.md writes <c>smtp-defaultips</c>, minimal-configuration.md
    /// writes bare <c>database</c>.
    /// </summary>
    private static readonly FrozenDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["www-private-key"] = "www-privatekey",
        ["heartbeat-enabled"] = "heartbeat",
        ["smtp-defaultips"] = "smtp-default-ips",
        ["database"] = "database-address",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, KnownKey> ByName = BuildIndex();

    /// <summary>Every known key in table order.</summary>
    public static IReadOnlyList<KnownKey> All => Table;

    /// <summary>Maps an alias to its canonical key and looks the key up.</summary>
    /// <param name="key">A lower-case key as written.</param>
    /// <param name="known">The canonical key, when known.</param>
    public static bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out KnownKey? known)
    {
        if (Aliases.TryGetValue(key, out var canonical))
            key = canonical;
        return ByName.TryGetValue(key, out known);
    }

    /// <summary>The known key, or an exception for a key the code has misspelt (a bug, not a config error).</summary>
    public static KnownKey Get(string key)
    {
        if (!TryGet(key, out var known))
            ConfigThrowHelper.ThrowUnknownKey(key);
        return known;
    }

    private static FrozenDictionary<string, KnownKey> BuildIndex()
    {
        var index = new Dictionary<string, KnownKey>(Table.Length, StringComparer.Ordinal);
        foreach (var key in Table)
            index.Add(key.Name, key);
        return index.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
