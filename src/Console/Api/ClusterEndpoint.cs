using System.Globalization;
using System.Text.Json;
using MailerQ.Www.Http;
using MailerQ.Www.Core.Cluster;

namespace MailerQ.Www.Console.Api;

/// <summary>
/// <c>GET /api/cluster</c>: every instance sharing the database, this one first:
/// <c>[{"id","host","url","self","lastSeen","version","started","ips","stale","health","database","broker"}]</c>.
/// <c>health</c> is <c>ok</c>, <c>degraded</c> (database or broker down) or <c>stale</c> (no announcement for three of its
/// periods); this instance's entry adds <c>databaseError</c>/<c>brokerError</c> while they are down, and <c>broker</c> is
/// <c>off</c> when no cluster is configured. Without the cluster set up, the list is this instance alone.
/// </summary>
internal sealed class ClusterEndpoint(ConsoleServices services)
{
    public ValueTask HandleAsync(HttpContext context)
    {
        var now = services.Time.GetUtcNow();
        var writer = ApiJson.Begin(context);
        writer.WriteStartArray();
        if (services.Cluster is not { } cluster)
        {
            var identity = services.Identity.Value;
            writer.WriteStartObject();
            writer.WriteString("host"u8, identity.Host);
            writer.WriteString("url"u8, identity.Url);
            writer.WriteBoolean("self"u8, true);
            writer.WriteString("lastSeen"u8, Format(now));
            writer.WriteEndObject();
        }
        else
        {
            WriteSelf(writer, cluster.Self(), now);
            foreach (var peer in cluster.Others()) WritePeer(writer, peer);
        }
        writer.WriteEndArray();
        ApiJson.End(writer);
        return ValueTask.CompletedTask;
    }

    private static void WriteSelf(Utf8JsonWriter w, ClusterMember a, DateTimeOffset now)
    {
        bool databaseUp = a.DatabaseUp;
        bool brokerUp = a.BrokerUp is not false;
        w.WriteStartObject();
        WriteCommon(w, a, self: true, lastSeen: now);
        w.WriteBoolean("stale"u8, false);
        w.WriteString("health"u8, databaseUp && brokerUp ? "ok" : "degraded");
        w.WriteString("database"u8, databaseUp ? "up" : "down");
        if (!databaseUp) w.WriteString("databaseError"u8, a.DatabaseError);
        w.WriteString("broker"u8, a.BrokerUp is null ? "off" : brokerUp ? "up" : "down");
        if (!brokerUp) w.WriteString("brokerError"u8, a.BrokerError);
        w.WriteEndObject();
    }

    private static void WritePeer(Utf8JsonWriter w, ClusterMember peer)
    {
        var a = peer;
        w.WriteStartObject();
        WriteCommon(w, a, self: false, lastSeen: peer.LastSeen);
        w.WriteBoolean("stale"u8, peer.Stale);
        w.WriteString("health"u8, peer.Stale ? "stale" : a.DatabaseUp ? "ok" : "degraded");
        // As last announced; a stale instance's state is unknown.
        w.WriteString("database"u8, peer.Stale ? "unknown" : a.DatabaseUp ? "up" : "down");
        w.WriteString("broker"u8, peer.Stale ? "unknown" : "up");
        w.WriteEndObject();
    }

    private static void WriteCommon(Utf8JsonWriter w, ClusterMember a, bool self, DateTimeOffset lastSeen)
    {
        w.WriteString("id"u8, a.Id);
        w.WriteString("host"u8, a.Host);
        w.WriteString("url"u8, a.Url);
        w.WriteBoolean("self"u8, self);
        w.WriteString("lastSeen"u8, Format(lastSeen));
        w.WriteString("version"u8, a.Version);
        w.WriteString("started"u8, Format(a.Started));
        w.WriteStartArray("ips"u8);
        foreach (var ip in a.Ips) w.WriteStringValue(ip);
        w.WriteEndArray();
    }

    private static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
