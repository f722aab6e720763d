using MailerQ.Www.Core.IO;
using MailerQ.Www.Core.Messages;
using MailerQ.Www.Smtp.Queue;

namespace MailerQ.Www.Smtp.Storage;

/// <summary>
/// Raw MIME of recently received mail for the console (<c>/api/messages/{id}/raw</c>, the live viewer),
/// independent of the queue: a delivered message stays viewable here. Files live in
/// <c>&lt;data-directory&gt;/messages</c> as hard links to the queue file (no copy), bounded by count, total
/// bytes and age; the oldest go first.
/// </summary>
internal sealed class MessageStore : IMessageSource
{
    private readonly Lock _gate = new();
    private readonly LinkedList<(string Id, long Size, DateTimeOffset Stored)> _entries = new();
    private readonly TimeProvider _time;
    private long _bytes;

    public MessageStore(string dataDirectory, int maxMessages = 1000, long maxBytes = 256L * 1024 * 1024, TimeSpan? maxAge = null, TimeProvider? time = null)
    {
        Directory = Path.Combine(dataDirectory, "messages");
        MaxMessages = maxMessages;
        MaxBytes = maxBytes;
        MaxAge = maxAge ?? TimeSpan.FromDays(1);
        _time = time ?? TimeProvider.System;
        System.IO.Directory.CreateDirectory(Directory);
        // Index what survived a restart, oldest first (ids are UUIDv7, so name order is arrival order).
        var files = new List<string>(System.IO.Directory.EnumerateFiles(Directory, "*" + QueueFile.Extension));
        files.Sort(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var info = new FileInfo(file);
            _entries.AddLast((Path.GetFileNameWithoutExtension(file), info.Length, new DateTimeOffset(info.LastWriteTimeUtc)));
            _bytes += info.Length;
        }
        Evict();
    }

    public string Directory { get; }
    public int MaxMessages { get; }
    public long MaxBytes { get; }
    public TimeSpan MaxAge { get; }

    public int Count { get { lock (_gate) return _entries.Count; } }

    /// <summary>Keeps a committed queue file of <paramref name="size"/> bytes viewable under its id.</summary>
    public void Add(string id, string queueFile, long size)
    {
        string target = Path.Combine(Directory, id + QueueFile.Extension);
        if (!DurableFiles.TryLink(queueFile, target))
            File.Copy(queueFile, target, overwrite: true);
        lock (_gate)
        {
            _entries.AddLast((id, size, _time.GetUtcNow()));
            _bytes += size;
        }
        Evict();
    }

    /// <summary>The raw MIME, or null when unknown or evicted.</summary>
    public byte[]? ReadRaw(string id)
    {
        if (!MessageIds.IsValid(id))
            return null;
        try
        {
            return QueueFile.Read(Path.Combine(Directory, id + QueueFile.Extension))?.Mime;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private void Evict()
    {
        var expired = new List<string>();
        lock (_gate)
        {
            var oldest = _time.GetUtcNow() - MaxAge;
            while (_entries.First is { } first && (_entries.Count > MaxMessages || _bytes > MaxBytes || first.Value.Stored < oldest))
            {
                _bytes -= first.Value.Size;
                expired.Add(first.Value.Id);
                _entries.RemoveFirst();
            }
        }
        foreach (var id in expired)
        {
            try
            {
                File.Delete(Path.Combine(Directory, id + QueueFile.Extension));
            }
            catch (IOException)
            {
            }
        }
    }
}
