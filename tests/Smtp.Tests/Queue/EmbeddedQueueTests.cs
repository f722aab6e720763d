using System.Net;
using System.Text;
using MailerQ.Www.Smtp.Queue;
using MailerQ.Www.Smtp.Storage;

namespace MailerQ.Www.Smtp.Tests.Queue;

public sealed class EmbeddedQueueTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("mailerq-queue-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static InboundMessage Message(string id) => new()
    {
        Id = id,
        Envelope = "a@example.org",
        Recipients = [new InboundRecipient("b@example.net", null, null)],
        Received = DateTimeOffset.UtcNow,
        HostName = "mx.test",
        Remote = new IPEndPoint(IPAddress.Loopback, 1234),
    };

    private static async Task<string> PublishAsync(EmbeddedQueue queue, string mime)
    {
        using var draft = queue.BeginMessage();
        draft.Write(Encoding.ASCII.GetBytes(mime));
        await queue.CommitAsync(draft, Message(draft.Id), CancellationToken.None);
        return draft.Id;
    }

    [Fact]
    public void Creates_MailerQs_queues()
    {
        var queue = EmbeddedQueue.Open(_data);
        foreach (var name in new[] { "outbox", "inbox", "results", "retry", "success", "failure" })
            Assert.True(Directory.Exists(Path.Combine(_data, "queue", name)));
        Assert.Equal("outbox", queue.InboxQueue);
    }

    [Fact]
    public async Task Committed_messages_read_back_and_remove()
    {
        var queue = EmbeddedQueue.Open(_data);
        string id = await PublishAsync(queue, "Subject: x\r\n\r\nhello\r\n");
        Assert.Equal(1, queue.Count("outbox"));
        var (message, mime) = queue.Read("outbox", id)!.Value;
        Assert.Equal(id, message.Id);
        Assert.Equal(IPAddress.Loopback, message.Remote!.Address);
        Assert.Equal("Subject: x\r\n\r\nhello\r\n", Encoding.ASCII.GetString(mime));
        Assert.True(queue.Remove("outbox", id));
        Assert.Equal(0, queue.Count("outbox"));
        Assert.Null(queue.Read("outbox", id));
        Assert.Null(queue.Read("outbox", "../../etc/passwd"));
    }

    [Fact]
    public async Task A_disposed_draft_leaves_nothing_behind()
    {
        var queue = EmbeddedQueue.Open(_data);
        using (var draft = queue.BeginMessage())
            draft.Write("partial"u8);
        Assert.Empty(Directory.GetFiles(queue.TempDirectory));
        Assert.Equal(0, queue.Count("outbox"));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Recovery_drops_unfinished_spool_files_and_keeps_committed_ones()
    {
        var queue = EmbeddedQueue.Open(_data);
        string id = await PublishAsync(queue, "kept\r\n");
        // What a crash mid-DATA leaves: a spool file without trailer, never renamed into a queue.
        File.WriteAllText(Path.Combine(queue.TempDirectory, MessageIds.New() + ".tmp"), "half a mess");

        var reopened = EmbeddedQueue.Open(_data);

        Assert.Empty(Directory.GetFiles(reopened.TempDirectory));
        Assert.Equal([id], reopened.List("outbox").ToList());
        Assert.NotNull(reopened.Read("outbox", id));
    }

    [Fact]
    public async Task Message_store_keeps_raw_MIME_bounded_by_count()
    {
        var queue = EmbeddedQueue.Open(_data);
        var store = new MessageStore(_data, maxMessages: 2);
        var ids = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            using var draft = (EmbeddedDraft)queue.BeginMessage();
            draft.Write(Encoding.ASCII.GetBytes($"message {i}\r\n"));
            await queue.CommitAsync(draft, Message(draft.Id), CancellationToken.None);
            store.Add(draft.Id, draft.CommittedPath!, draft.CommittedLength);
            ids.Add(draft.Id);
        }
        Assert.Equal(2, store.Count);
        Assert.Null(store.ReadRaw(ids[0]));
        Assert.Equal("message 2\r\n", Encoding.ASCII.GetString(store.ReadRaw(ids[2])!));
        // Independent of the queue: still viewable after the queue consumer removed it.
        queue.Remove("outbox", ids[2]);
        Assert.NotNull(store.ReadRaw(ids[2]));
        // Survives a restart.
        Assert.Equal(2, new MessageStore(_data, maxMessages: 2).Count);
    }
}
