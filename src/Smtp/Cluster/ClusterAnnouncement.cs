using System.Globalization;
using System.Text.Json;

namespace MailerQ.Www.Smtp.Cluster;

/// <summary>
/// What an instance tells the others about itself on the cluster exchange (5.13/cluster.md: its local IPs and "some
/// config", including the console's <c>www-host</c>/<c>www-url</c>). MailerQ documents no layout; ours is one JSON
/// object: <c>{"announce":true,"id","www-host","www-url","version","ips":[…],"started","time","interval","database"}</c>.
/// </summary>
internal sealed record ClusterAnnouncement
{
    /// <summary>The instance's cluster id (<c>server-id</c>, else its <c>www-url</c>): stable across restarts.</summary>
    public required string Id { get; init; }
    public required string Host { get; init; }
    public required string Url { get; init; }
    public required string Version { get; init; }
    public IReadOnlyList<string> Ips { get; init; } = [];
    public DateTimeOffset Started { get; init; }
    /// <summary>When it was sent (the sender's clock).</summary>
    public DateTimeOffset Time { get; init; }
    /// <summary>The sender's announcement period, so receivers judge staleness by the sender's own rhythm.</summary>
    public TimeSpan Interval { get; init; } = ClusterOptions.DefaultInterval;
    /// <summary>Whether the sender reaches the settings database.</summary>
    public bool DatabaseUp { get; init; } = true;

    public byte[] ToJson()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteBoolean("announce"u8, true);
            w.WriteString("id"u8, Id);
            w.WriteString("www-host"u8, Host);
            w.WriteString("www-url"u8, Url);
            w.WriteString("version"u8, Version);
            w.WriteStartArray("ips"u8);
            foreach (var ip in Ips) w.WriteStringValue(ip);
            w.WriteEndArray();
            w.WriteString("started"u8, Started.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            w.WriteString("time"u8, Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            w.WriteNumber("interval"u8, Interval.TotalSeconds);
            w.WriteString("database"u8, DatabaseUp ? "up" : "down");
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads an announcement; false for anything else or a malformed one (other software may share the exchange).</summary>
    public static bool TryParse(JsonElement root, out ClusterAnnouncement announcement)
    {
        announcement = null!;
        if (root.ValueKind != JsonValueKind.Object) return false;
        if (!Text(root, "id", out var id) || !Text(root, "www-host", out var host) || !Text(root, "www-url", out var url)) return false;
        Text(root, "version", out var version);
        var ips = new List<string>();
        if (root.TryGetProperty("ips", out var list) && list.ValueKind == JsonValueKind.Array)
            foreach (var ip in list.EnumerateArray())
                if (ip.ValueKind == JsonValueKind.String && ips.Count < 1024) ips.Add(ip.GetString()!);
        var interval = ClusterOptions.DefaultInterval;
        if (root.TryGetProperty("interval", out var seconds) && seconds.ValueKind == JsonValueKind.Number && seconds.TryGetDouble(out var s) && s > 0 && s <= 86400)
            interval = TimeSpan.FromSeconds(s);
        announcement = new ClusterAnnouncement
        {
            Id = id!,
            Host = host!,
            Url = url!,
            Version = version ?? "",
            Ips = ips,
            Started = ReadTime(root, "started"),
            Time = ReadTime(root, "time"),
            Interval = interval,
            DatabaseUp = !(root.TryGetProperty("database", out var db) && db.ValueKind == JsonValueKind.String && db.ValueEquals("down"u8)),
        };
        return true;
    }

    private static bool Text(JsonElement root, string name, out string? value)
    {
        value = root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        return !string.IsNullOrEmpty(value) && value.Length <= 2048;
    }

    private static DateTimeOffset ReadTime(JsonElement root, string name) =>
        root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String && e.TryGetDateTimeOffset(out var t) ? t : DateTimeOffset.UnixEpoch;
}
