using MailerQ.Www.Core.Cluster;
using MailerQ.Www.Core.Diagnostics;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Console.Api;
using MailerQ.Www.Smtp.Cluster;
using MailerQ.Www.Smtp.Settings;

namespace MailerQ.Www.Host.Cluster;

/// <summary>
/// This instance in its cluster (issue 11): who it is (<see cref="Id"/>, console host and URL), the node on the cluster
/// exchange (null for a lone instance), the database monitor, and the glue between them: every settings write made here
/// is followed by <c>{"reload":true}</c>, every <c>{"reload":true}</c> heard reloads the settings, and writes are refused
/// while the database or the broker is down.
/// </summary>
internal sealed class ClusterState : IClusterView, IAsyncDisposable
{
    private readonly SemaphoreSlim _keyGate = new(1, 1);
    private byte[]? _switchKey;

    private ClusterState(string id, ConsoleIdentity identity, SettingsCache settings, SqlSettingsStore store, DatabaseMonitor database, ClusterNode? node, DateTimeOffset started)
    {
        Id = id;
        Identity = identity;
        Settings = settings;
        Store = store;
        Database = database;
        Node = node;
        Started = started;
    }

    /// <summary>The cluster id: <c>server-id</c> when set, else the console URL (both stable across restarts, unique per instance).</summary>
    public string Id { get; }
    public ConsoleIdentity Identity { get; }
    public SettingsCache Settings { get; }
    public SqlSettingsStore Store { get; }
    public DatabaseMonitor Database { get; }
    /// <summary>Null when no cluster is configured (neither <c>cluster-address</c> nor <c>rabbitmq-address</c>).</summary>
    public ClusterNode? Node { get; }
    public DateTimeOffset Started { get; }

    /// <summary>The id the settings store stamps on instance-scoped rows: only in a cluster (a lone instance's rows apply everywhere).</summary>
    public static string InstanceIdFor(string? serverId, ConsoleIdentity identity) => string.IsNullOrEmpty(serverId) ? identity.Url : serverId;

    public static ClusterState Start(string id, ConsoleIdentity identity, SettingsCache settings, SqlSettingsStore store, ClusterOptions? options)
    {
        var database = new DatabaseMonitor(store.PingAsync, settings);
        ClusterState? state = null;
        var node = options is null ? null : new ClusterNode(options, id, () => state!.Announcement(options.Interval));
        state = new ClusterState(id, identity, settings, store, database, node, DateTimeOffset.UtcNow);
        settings.WriteGuard = state.WriteRefusal;
        if (node is not null)
        {
            node.Reload = () => settings.ReloadAsync();
            settings.Written += state.OnWritten;
            node.Start();
        }
        database.Start();
        return state;
    }

    /// <summary>The reason a settings write is refused now, or null (see <see cref="SettingsCache.WriteGuard"/>).</summary>
    public string? WriteRefusal()
    {
        if (!Database.Up) return $"settings database unavailable ({Database.Error}); delivery goes on with the last settings, try the change again when it is back";
        if (Node is { Connected: false } node)
            return $"cluster broker unavailable ({node.LastError}); the other instances would not hear of the change, try again when it is back";
        return null;
    }

    private void OnWritten() => _ = TellOthersAsync();

    private async Task TellOthersAsync()
    {
        if (Node is null) return;
        if (!await Node.PublishReloadAsync().ConfigureAwait(false))
            Log.Warning("cluster", "could not tell the other instances to reload; they catch up at their next database-ttl reload");
    }

    public ClusterAnnouncement Announcement(TimeSpan interval) => new()
    {
        Id = Id,
        Host = Identity.Host,
        Url = Identity.Url,
        Version = ProductInfo.Version,
        Ips = LocalIps.Find(),
        Started = Started,
        Time = DateTimeOffset.UtcNow,
        Interval = interval,
        DatabaseUp = Database.Up,
    };

    /// <inheritdoc/>
    public bool Clustered => Node is not null;

    /// <inheritdoc/>
    public ClusterMember Self()
    {
        var a = Announcement(TimeSpan.Zero);
        bool databaseUp = Database.Up;
        return Member(a, a.Time, stale: false) with
        {
            DatabaseUp = databaseUp,
            DatabaseError = databaseUp ? null : Database.Error,
            BrokerUp = Node?.Connected,
            BrokerError = Node is { Connected: false } node ? node.LastError : null,
        };
    }

    /// <inheritdoc/>
    public IReadOnlyList<ClusterMember> Others()
    {
        if (Node is null) return [];
        var list = new List<ClusterMember>();
        foreach (var peer in Node.Registry.List())
            if (!peer.Self) list.Add(Member(peer.Announcement, peer.LastSeen, peer.Stale));
        return list;
    }

    private static ClusterMember Member(ClusterAnnouncement a, DateTimeOffset lastSeen, bool stale) => new()
    {
        Id = a.Id,
        Host = a.Host,
        Url = a.Url,
        Version = a.Version,
        Ips = a.Ips,
        Started = a.Started,
        LastSeen = lastSeen,
        Stale = stale,
        DatabaseUp = a.DatabaseUp,
    };

    /// <inheritdoc/>
    public Task<bool> TryUseOnceAsync(string nonce, DateTimeOffset expiry, CancellationToken cancellationToken = default) =>
        Store.TryUseOnceAsync(nonce, expiry, cancellationToken);

    /// <summary>The key switch tokens are signed with, shared by every instance through the database; fetched once.</summary>
    public async Task<byte[]> SwitchKeyAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _switchKey) is { } key) return key;
        await _keyGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _switchKey ??= await Store.ClusterKeyAsync("switch", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _keyGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Settings.Written -= OnWritten;
        if (Node is not null) await Node.DisposeAsync().ConfigureAwait(false);
        await Database.DisposeAsync().ConfigureAwait(false);
        _keyGate.Dispose();
    }
}
