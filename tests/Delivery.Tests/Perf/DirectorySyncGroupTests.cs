using MailerQ.Www.Smtp.Queue;

namespace MailerQ.Www.Delivery.Tests.Perf;

/// <summary>Outbox removals share directory fsyncs (group commit) and still complete only once durable.</summary>
public sealed class DirectorySyncGroupTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mq-syncgroup-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Concurrent_removals_all_complete_and_their_files_are_gone()
    {
        var queue = EmbeddedQueue.Open(_dir);
        var ids = Enumerable.Range(0, 200).Select(i => $"m{i}").ToArray();
        foreach (var id in ids)
            await queue.PublishAsync(QueueNames.Outbox, id, "{\"envelope\":\"a@example.com\",\"recipient\":\"b@example.org\"}"u8.ToArray(), "Subject: x\r\n\r\n"u8.ToArray(), TestContext.Current.CancellationToken);

        var removed = await Task.WhenAll(ids.Select(id => Task.Run(async () => await queue.RemoveAsync(QueueNames.Outbox, id))));

        Assert.All(removed, Assert.True);
        Assert.Equal(0, queue.Count(QueueNames.Outbox));
        Assert.False(await queue.RemoveAsync(QueueNames.Outbox, "m0"));
    }

    [Fact]
    public async Task A_failing_fsync_fails_every_caller_of_that_batch()
    {
        var group = new DirectorySyncGroup(Path.Combine(_dir, "missing"));

        var calls = Enumerable.Range(0, 5).Select(_ => group.SyncAsync()).ToArray();

        foreach (var call in calls)
            await Assert.ThrowsAsync<IOException>(() => call);
    }

    [Fact]
    public async Task The_group_keeps_working_after_going_idle()
    {
        var group = new DirectorySyncGroup(_dir);
        await group.SyncAsync();
        await group.SyncAsync();
        await Task.WhenAll(group.SyncAsync(), group.SyncAsync());
    }
}
