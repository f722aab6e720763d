using MailerQ.Www.Core.IO;
using MailerQ.Www.Core.Logging;

namespace MailerQ.Www.Smtp.Queue;

/// <summary>
/// The durable local queue used when <c>rabbitmq-address</c> is unset: one file per message under
/// <c>&lt;data-directory&gt;/queue/&lt;queue&gt;/</c>, with MailerQ's queue names.
/// </summary>
/// <remarks>
/// Commit protocol: write MIME + meta + trailer to <c>tmp/</c>, fsync the file, rename it into the queue,
/// fsync the queue directory; only then does <see cref="CommitAsync"/> return (and the session send 250).
/// A crash at any point leaves the message either complete in its queue or only under <c>tmp/</c>, which
/// <see cref="Open"/> empties (the client got no 250 for those and will retry). Nothing about the queue's
/// contents is held in memory: counts and listings enumerate the directory lazily.
/// </remarks>
internal sealed class EmbeddedQueue : IMessageQueue
{
    private EmbeddedQueue(string root, string inboxQueue)
    {
        Root = root;
        TempDirectory = Path.Combine(root, "tmp");
        InboxQueue = inboxQueue;
    }

    public string Root { get; }
    public string TempDirectory { get; }

    /// <summary>Where mail received over SMTP goes: <c>rabbitmq-inbox</c>, by default the outbox (rabbitmq-config.md).</summary>
    public string InboxQueue { get; }

    /// <summary>Creates the directories and recovers from a crash (drops unfinished files).</summary>
    public static EmbeddedQueue Open(string dataDirectory, string inboxQueue = QueueNames.Outbox)
    {
        var queue = new EmbeddedQueue(Path.Combine(dataDirectory, "queue"), inboxQueue);
        Directory.CreateDirectory(queue.TempDirectory);
        foreach (var name in QueueNames.All)
            Directory.CreateDirectory(queue.QueueDirectory(name));
        Directory.CreateDirectory(queue.QueueDirectory(inboxQueue));
        int dropped = 0;
        foreach (var file in Directory.EnumerateFiles(queue.TempDirectory))
        {
            File.Delete(file);
            dropped++;
        }
        if (dropped > 0)
        {
            DurableFiles.SyncDirectory(queue.TempDirectory);
            Log.Info("queue", "recovery dropped unfinished messages", $"count={dropped}");
        }
        return queue;
    }

    public string QueueDirectory(string queue) => Path.Combine(Root, queue);

    public string PathOf(string queue, string id) => Path.Combine(QueueDirectory(queue), id + QueueFile.Extension);

    public IMessageDraft BeginMessage() => new EmbeddedDraft(TempDirectory, MessageIds.New());

    public async ValueTask CommitAsync(IMessageDraft draft, InboundMessage message, CancellationToken ct)
    {
        var embedded = (EmbeddedDraft)draft;
        byte[] meta = InboundJson.WriteMeta(message);
        // fsync blocks the thread for milliseconds; keep it off the I/O completion path.
        await Task.Run(() => embedded.Commit(meta, PathOf(InboxQueue, embedded.Id), QueueDirectory(InboxQueue)), ct).ConfigureAwait(false);
    }

    /// <summary>Message ids in a queue, lazily (bounded memory however long the queue is).</summary>
    public IEnumerable<string> List(string queue)
    {
        foreach (var file in Directory.EnumerateFiles(QueueDirectory(queue), "*" + QueueFile.Extension))
            yield return Path.GetFileNameWithoutExtension(file);
    }

    public long Count(string queue)
    {
        long n = 0;
        foreach (var _ in Directory.EnumerateFiles(QueueDirectory(queue), "*" + QueueFile.Extension))
            n++;
        return n;
    }

    /// <summary>The stored message, or null when absent or damaged.</summary>
    public (InboundMessage Message, byte[] Mime)? Read(string queue, string id)
    {
        if (!MessageIds.IsValid(id))
            return null;
        try
        {
            return QueueFile.Read(PathOf(queue, id));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Removes a message (after a consumer handled it); durable when it returns.</summary>
    public bool Remove(string queue, string id)
    {
        string path = PathOf(queue, id);
        if (!File.Exists(path))
            return false;
        File.Delete(path);
        DurableFiles.SyncDirectory(QueueDirectory(queue));
        return true;
    }
}
