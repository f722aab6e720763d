using System.Text.Json;
using MailerQ.Www.Smtp.Cluster;
using Microsoft.Extensions.Time.Testing;

namespace MailerQ.Www.Delivery.Tests.Cluster;

/// <summary>Announcements: their JSON, the registry of instances heard, and staleness after three missed periods.</summary>
public sealed class ClusterRegistryTests
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static ClusterAnnouncement Announcement(string id, TimeSpan interval) => new()
    {
        Id = id,
        Host = id + ".example",
        Url = "https://" + id + ".example:8485",
        Version = "1.2.3",
        Ips = ["192.0.2.1", "2001:db8::1"],
        Started = Start,
        Time = Start,
        Interval = interval,
    };

    [Fact]
    public void An_announcement_survives_its_json_and_other_messages_are_told_apart()
    {
        var sent = Announcement("mta1", TimeSpan.FromSeconds(30)) with { DatabaseUp = false };
        using var json = JsonDocument.Parse(sent.ToJson());
        Assert.Equal(ClusterMessageKind.Announce, ClusterMessages.Classify(json.RootElement, out _));
        Assert.True(ClusterAnnouncement.TryParse(json.RootElement, out var read));
        Assert.Equal(sent.Id, read.Id);
        Assert.Equal(sent.Url, read.Url);
        Assert.Equal(sent.Host, json.RootElement.GetProperty("www-host").GetString());
        Assert.Equal(sent.Ips, read.Ips);
        Assert.Equal(sent.Started, read.Started);
        Assert.Equal(sent.Interval, read.Interval);
        Assert.False(read.DatabaseUp);

        using var hello = JsonDocument.Parse("""{"hello":true}""");
        Assert.Equal(ClusterMessageKind.Hello, ClusterMessages.Classify(hello.RootElement, out _));
        using var reload = JsonDocument.Parse("""{"reload":true,"from":"mta1"}""");
        Assert.Equal(ClusterMessageKind.Reload, ClusterMessages.Classify(reload.RootElement, out var from));
        Assert.Equal("mta1", from);
        using var off = JsonDocument.Parse("""{"reload":false}""");
        Assert.Equal(ClusterMessageKind.Unknown, ClusterMessages.Classify(off.RootElement, out _));
        using var partial = JsonDocument.Parse("""{"id":"x"}""");
        Assert.False(ClusterAnnouncement.TryParse(partial.RootElement, out _));
    }

    [Fact]
    public void An_instance_turns_stale_after_three_of_its_own_periods_without_an_announcement()
    {
        var time = new FakeTimeProvider(Start);
        var registry = new ClusterRegistry("self", time);
        registry.Observe(Announcement("self", TimeSpan.FromSeconds(10)));
        registry.Observe(Announcement("fast", TimeSpan.FromSeconds(10)));
        registry.Observe(Announcement("slow", TimeSpan.FromSeconds(60)));

        var list = registry.List();
        Assert.Equal(["self", "fast", "slow"], list.Select(p => p.Announcement.Id));
        Assert.True(list[0].Self);
        Assert.All(list, p => Assert.False(p.Stale));

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(registry.TryGet("fast", out var fast) && fast.Stale);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(registry.TryGet("fast", out fast) && fast.Stale);
        Assert.True(registry.TryGet("slow", out var slow) && !slow.Stale);

        // A new announcement makes it fresh again.
        registry.Observe(Announcement("fast", TimeSpan.FromSeconds(10)));
        Assert.True(registry.TryGet("fast", out fast) && !fast.Stale);
        Assert.Equal(Start + TimeSpan.FromSeconds(31), fast.LastSeen);

        // Long gone: forgotten.
        time.Advance(TimeSpan.FromSeconds(10 * ClusterRegistry.ForgetAfterPeriods + 1));
        Assert.DoesNotContain(registry.List(), p => p.Announcement.Id == "fast");
    }
}
