namespace MailerQ.Www.Smtp.Cluster;

/// <summary>
/// <c>mailerq --list-cluster</c> (5.13/cluster.md): joins the exchange as a listener, says hello, waits
/// <c>cluster-timeout</c> and returns the instances that announced themselves meanwhile.
/// </summary>
internal static class ClusterLister
{
    /// <summary>The instances that answered; or null and why, when the broker could not be reached.</summary>
    public static async Task<(IReadOnlyList<ClusterAnnouncement>? Instances, string? Error)> ListAsync(ClusterOptions options, CancellationToken cancellationToken = default)
    {
        await using var node = new ClusterNode(options, selfId: null, announce: null);
        node.Start();
        // Connecting has its own budget (5 s, the connection timeout); the wait for answers starts once joined.
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connect.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                await node.FirstConnect.WaitAsync(connect.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (null, node.LastError);
            }
        }
        await Task.Delay(options.Timeout, cancellationToken).ConfigureAwait(false);
        var list = new List<ClusterAnnouncement>();
        foreach (var peer in node.Registry.List()) list.Add(peer.Announcement);
        return (list, null);
    }

    /// <summary>One line per instance, tab-separated: id, www-url, www-host, version, start time (UTC), local IPs.</summary>
    public static string Describe(IReadOnlyList<ClusterAnnouncement> instances)
    {
        var text = new System.Text.StringBuilder();
        foreach (var a in instances)
            text.Append(a.Id).Append('\t').Append(a.Url).Append('\t').Append(a.Host).Append('\t').Append(a.Version).Append('\t')
                .Append(a.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)).Append('\t')
                .Append(string.Join(',', a.Ips)).Append('\n');
        return text.ToString();
    }
}
