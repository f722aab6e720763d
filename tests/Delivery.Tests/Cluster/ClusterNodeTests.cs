using MailerQ.Www.Smtp.Cluster;
using MailerQ.Www.Smtp.Tests;

namespace MailerQ.Www.Delivery.Tests.Cluster;

/// <summary>Nodes on a real RabbitMQ: they hear each other's announcements, hello and reload, and rejoin after the broker restarts.</summary>
public sealed class ClusterNodeTests
{
    private static ClusterNode Node(RabbitMqBroker broker, string exchange, string id, TimeSpan interval) =>
        new(new ClusterOptions { Address = broker.Url, Exchange = exchange, Interval = interval }, id, () => new ClusterAnnouncement
        {
            Id = id,
            Host = id,
            Url = "http://" + id,
            Version = "test",
            Started = DateTimeOffset.UtcNow,
            Time = DateTimeOffset.UtcNow,
            Interval = interval,
        });

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail("timed out waiting for " + what);
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Nodes_learn_each_other_reload_each_other_and_rejoin_after_a_broker_restart()
    {
        await using var broker = await RabbitMqBroker.StartAsync();
        string exchange = "cluster-" + Guid.NewGuid().ToString("N")[..8];
        // A long period: everything below must come from hello and the announcement on joining.
        await using var a = Node(broker, exchange, "a", TimeSpan.FromMinutes(10));
        await using var b = Node(broker, exchange, "b", TimeSpan.FromMinutes(10));
        int reloadsOnA = 0, reloadsOnB = 0;
        a.Reload = () => { Interlocked.Increment(ref reloadsOnA); return Task.CompletedTask; };
        b.Reload = () => { Interlocked.Increment(ref reloadsOnB); return Task.CompletedTask; };
        a.Start();
        await a.FirstConnect.WaitAsync(TimeSpan.FromSeconds(30));
        b.Start();
        await WaitAsync(() => a.Registry.List().Count == 2 && b.Registry.List().Count == 2, "both nodes to know both");

        // A listener (--list-cluster) hears both and is not listed itself.
        var (listed, error) = await ClusterLister.ListAsync(new ClusterOptions { Address = broker.Url, Exchange = exchange, Timeout = TimeSpan.FromSeconds(1) });
        Assert.Null(error);
        Assert.Equal(["a", "b"], listed!.Select(x => x.Id).Order());

        Assert.True(await a.PublishReloadAsync());
        await WaitAsync(() => Volatile.Read(ref reloadsOnB) == 1, "b to reload");
        await Task.Delay(200);
        Assert.Equal(0, Volatile.Read(ref reloadsOnA)); // its own reload request is not for itself

        await broker.StopServerAsync();
        await WaitAsync(() => !a.Connected && !b.Connected, "both to notice the broker is gone");
        Assert.NotNull(a.LastError);
        Assert.False(await a.PublishReloadAsync());
        await broker.StartServerAsync();
        await WaitAsync(() => a.Connected && b.Connected, "both to rejoin");
        Assert.True(await b.PublishReloadAsync());
        await WaitAsync(() => Volatile.Read(ref reloadsOnA) == 1, "a to reload after the restart");
    }
}
