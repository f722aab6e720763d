using System.Text.Json;

namespace MailerQ.Www.Smtp.Cluster;

/// <summary>Tells the cluster's JSON messages apart.</summary>
internal static class ClusterMessages
{
    /// <summary>What <paramref name="root"/> is; <paramref name="from"/> is the sender's id when it gave one.</summary>
    public static ClusterMessageKind Classify(JsonElement root, out string? from)
    {
        from = null;
        if (root.ValueKind != JsonValueKind.Object) return ClusterMessageKind.Unknown;
        if (root.TryGetProperty("from", out var f) && f.ValueKind == JsonValueKind.String) from = f.GetString();
        if (IsTrue(root, "reload")) return ClusterMessageKind.Reload;
        if (IsTrue(root, "hello")) return ClusterMessageKind.Hello;
        if (root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String) return ClusterMessageKind.Announce;
        return ClusterMessageKind.Unknown;
    }

    private static bool IsTrue(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
