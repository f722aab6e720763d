using System.Collections.Concurrent;
using MailerQ.Www.Core.IO;
using MailerQ.Www.Core.Logging;

namespace MailerQ.Www.Smtp.Queue;

/// <summary>
/// The durable local queue used when <c>rabbitmq-address</c> is unset: one file per message under
/// <c>&lt;data-directory&gt;/queue/&lt;queue&gt;/</c>, with MailerQ's queue names.
/// </summary>
/// <remarks>
/// Commit protocol for mail received over SMTP (<see cref="CommitAsync"/>): a message of up to
/// <see cref="EmbeddedDraft.MemoryLimit"/> goes through the <see cref="SpoolJournal"/> (its file appears in the queue,
/// and one fdatasync of the journal per batch of sessions makes it durable); a larger one is written to <c>tmp/</c>
/// as it arrives, fsync'd, renamed into the queue, and the queue directory fsync'd. Either way
/// <see cref="CommitAsync"/> returns (and the session sends 250) only once the message is durable. A crash leaves a
/// message complete in its queue, or in the journal (which <see cref="Open"/> replays), or only under <c>tmp/</c>,
/// which <see cref="Open"/> empties (the client got no 250 for those and will retry). Nothing about the queue's
/// contents is held in memory: counts and listings enumerate the directory lazily.
/// </remarks>
internal sealed class EmbeddedQueue : IMessageQueue, MailerQ.Www.Smtp.Delivery.IQueuePublisher
{
    private EmbeddedQueue(string root, string inboxQueue)
    {
        Root = root;
        TempDirectory = Path.Combine(root, "tmp");
        InboxQueue = inboxQueue;
    }

    private SpoolJournal _journal = null!;

    /// <summary>Where the spool journal's segments are: <c>queue/journal/</c>.</summary>
    public string JournalDirectory => Path.Combine(Root, "journal");

    /// <summary>Messages the journal has made durable whose segment is not retired yet (tests, diagnostics).</summary>
    internal int UnretiredMessages => _journal.UnretiredMessages;

    public string Root { get; }
    public string TempDirectory { get; }

    /// <summary>One fsync group per queue directory, for <see cref="RemoveAsync"/>.</summary>
    private readonly ConcurrentDictionary<string, DirectorySyncGroup> _removals = new(StringComparer.Ordinal);

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
        queue._journal = SpoolJournal.Open(queue.JournalDirectory, queue.TempDirectory, queue.QueueDirectory);
        return queue;
    }

    public string QueueDirectory(string queue) => Path.Combine(Root, queue);

    public string PathOf(string queue, string id) => Path.Combine(QueueDirectory(queue), id + QueueFile.Extension);

    public IMessageDraft BeginMessage() => new EmbeddedDraft(TempDirectory, MessageIds.New());

    public async ValueTask CommitAsync(IMessageDraft draft, InboundMessage message, CancellationToken ct, bool resumeOnCommitter = false)
    {
        var embedded = (EmbeddedDraft)draft;
        byte[] meta = InboundJson.WriteMeta(message);
        string path = PathOf(InboxQueue, embedded.Id);
        if (embedded.TryGetBuffered(out var mime))
        {
            await _journal.AppendPutAsync(InboxQueue, embedded.Id, mime, meta, embedded.TempPath, path, resumeOnCommitter).ConfigureAwait(false);
            embedded.MarkCommitted(path, meta.Length);
        }
        else
        {
            // fsync blocks the thread for milliseconds; keep it off the I/O completion path.
            await Task.Run(() => embedded.Commit(meta, path, QueueDirectory(InboxQueue)), ct).ConfigureAwait(false);
        }
        Committed?.Invoke(InboxQueue, embedded.Id);
    }

    /// <summary>
    /// Raised after a message became durable in a queue (received over SMTP, published, or moved back from a
    /// parking queue), on the committing thread; the delivery engine's outbox reader listens to it.
    /// </summary>
    public event Action<string, string>? Committed;

    /// <summary>
    /// Stores a MailerQ JSON message (results, retries, bounces, injected mail) as a queue file: the MIME part,
    /// then <c>{"outbox": json}</c> as meta. A file of the same id in that queue is replaced atomically (a retry
    /// replaces the attempt it came from). Durable when it returns.
    /// </summary>
    public async ValueTask PublishAsync(string queue, string id, ReadOnlyMemory<byte> json, ReadOnlyMemory<byte> mime, CancellationToken ct)
    {
        if (!IsSafeName(queue) || !IsSafeName(id))
            throw new ArgumentException($"unusable queue or message name: {queue}/{id}");
        byte[] meta = QueueFile.WrapOutboxMeta(json.Span);
        string directory = QueueDirectory(queue);
        await Task.Run(() =>
        {
            Directory.CreateDirectory(directory);
            using var draft = new EmbeddedDraft(TempDirectory, MessageIds.New());
            draft.Write(mime.Span);
            draft.Commit(meta, PathOf(queue, id), directory, replace: true);
        }, ct).ConfigureAwait(false);
        Committed?.Invoke(queue, id);
    }

    /// <summary>
    /// Moves every message of <paramref name="from"/> into <paramref name="to"/> (resuming parked mail); returns how many.
    /// Each file is renamed, so a message is always in exactly one of the two queues.
    /// </summary>
    /// <remarks>
    /// A message is never moved over a file of the same id in <paramref name="to"/>: when the delivery engine parks a
    /// message it first publishes the parked copy and only then removes the outbox file it came from. A resume in
    /// between used to rename the parked copy over that file; the outbox reader keeps a file that was replaced while
    /// in flight, but only once <see cref="Committed"/> has told it, and a removal between the rename and that event
    /// deleted the parked copy. Now such a message is counted in <paramref name="busy"/> and stays where it is
    /// (<see cref="MoveAllAsync"/> tries it again once the outbox file is gone).
    /// </remarks>
    public int MoveAll(string from, string to, out int busy) => MoveAll(from, to, out busy, out _);

    private int MoveAll(string from, string to, out int busy, out Task journaled)
    {
        journaled = Task.CompletedTask;
        busy = 0;
        string source = QueueDirectory(from);
        if (!Directory.Exists(source))
            return 0;
        string target = QueueDirectory(to);
        Directory.CreateDirectory(target);
        var moved = new List<string>();
        foreach (var file in Directory.EnumerateFiles(source, "*" + QueueFile.Extension))
        {
            string id = Path.GetFileNameWithoutExtension(file);
            try
            {
                File.Move(file, PathOf(to, id), overwrite: false);
                moved.Add(id);
            }
            catch (FileNotFoundException)
            {
                // Taken by someone else meanwhile.
            }
            catch (IOException) when (File.Exists(PathOf(to, id)))
            {
                busy++;
            }
        }
        if (moved.Count > 0)
        {
            DurableFiles.SyncDirectory(target);
            DurableFiles.SyncDirectory(source);
            // A message still described only by the journal must not be replayed into the queue it left.
            journaled = Task.WhenAll(moved.Select(id => _journal.AppendRemoveAsync(from, id)));
            foreach (var id in moved)
                Committed?.Invoke(to, id);
        }
        return moved.Count;
    }

    /// <inheritdoc cref="MoveAll(string, string, out int)"/>
    public int MoveAll(string from, string to)
    {
        int moved = MoveAll(from, to, out _, out var journaled);
        journaled.GetAwaiter().GetResult();
        return moved;
    }

    /// <summary>
    /// <see cref="MoveAll(string, string, out int)"/>, then again every 20 ms for up to <paramref name="patience"/> (default
    /// 2 s) while messages are held back by a same-id file in <paramref name="to"/> (the outbox copy of a message being
    /// parked, removed a moment later). What is still held back after that stays in <paramref name="from"/> and is logged.
    /// </summary>
    public async ValueTask<int> MoveAllAsync(string from, string to, CancellationToken ct, TimeSpan? patience = null)
    {
        int moved = MoveAll(from, to, out int busy, out var journaled);
        await journaled.ConfigureAwait(false);
        var until = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(2));
        while (busy > 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(20, ct).ConfigureAwait(false);
            moved += MoveAll(from, to, out busy, out journaled);
            await journaled.ConfigureAwait(false);
        }
        if (busy > 0)
            Log.Warning("queue", "messages left in place: a message of the same id is in the target queue", $"from={from} to={to} count={busy}");
        return moved;
    }

    /// <summary>Queue and message names become file names: letters, digits, '-', '_', '.', not starting with '.'.</summary>
    public static bool IsSafeName(string name)
    {
        if (name.Length is 0 or > 200 || name[0] == '.')
            return false;
        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_' and not '.')
                return false;
        }
        return true;
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
        _journal.AppendRemoveAsync(queue, id).GetAwaiter().GetResult();
        return true;
    }

    /// <summary>
    /// <see cref="Remove"/> for many concurrent callers (the outbox, once per delivered message): the unlink happens
    /// now, on the caller's thread, and the directory fsync is shared with the removals around it (group commit,
    /// <see cref="DirectorySyncGroup"/>). Durable when the task completes, as with <see cref="Remove"/>.
    /// </summary>
    public async ValueTask<bool> RemoveAsync(string queue, string id)
    {
        string path = PathOf(queue, id);
        if (!File.Exists(path))
            return false;
        File.Delete(path);
        string directory = QueueDirectory(queue);
        var removed = _removals.GetOrAdd(directory, static d => new DirectorySyncGroup(d)).SyncAsync();
        // Until its journal segment is retired, the journal would bring the message back after a crash.
        await _journal.AppendRemoveAsync(queue, id).ConfigureAwait(false);
        await removed.ConfigureAwait(false);
        return true;
    }
}
