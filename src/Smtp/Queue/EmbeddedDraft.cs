using MailerQ.Www.Core.IO;

namespace MailerQ.Www.Smtp.Queue;

/// <summary>A message being spooled to a file under <c>queue/tmp/</c> (both back-ends spool there, so memory stays bounded).</summary>
internal sealed class EmbeddedDraft : IMessageDraft
{
    private readonly string _tempPath;
    private FileStream? _file;
    private bool _committed;

    public EmbeddedDraft(string tempDirectory, string id)
    {
        Id = id;
        _tempPath = Path.Combine(tempDirectory, id + ".tmp");
        _file = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, bufferSize: 64 * 1024);
    }

    public string Id { get; }

    public long Length { get; private set; }

    /// <summary>Where the committed file is (for the console's message store).</summary>
    public string? CommittedPath { get; private set; }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        _file!.Write(bytes);
        Length += bytes.Length;
    }

    public int ReadHead(Span<byte> buffer)
    {
        _file!.Flush();
        int want = (int)Math.Min(buffer.Length, Length);
        return RandomAccess.Read(_file.SafeFileHandle, buffer[..want], 0);
    }

    /// <summary>The whole message (RabbitMQ publishes it inside JSON, so it must be in memory; bounded by smtp-maxsize).</summary>
    internal byte[] ReadAll()
    {
        _file!.Flush();
        var bytes = new byte[Length];
        RandomAccess.Read(_file.SafeFileHandle, bytes, 0);
        return bytes;
    }

    /// <param name="queueDirectory">Directory to fsync after the rename; null for a copy that need not survive a crash (the console's store).</param>
    internal void Commit(byte[] meta, string finalPath, string? queueDirectory, bool replace = false)
    {
        var file = _file!;
        file.Write(meta);
        Span<byte> trailer = stackalloc byte[QueueFile.TrailerSize];
        QueueFile.WriteTrailer(trailer, Length, meta.Length);
        file.Write(trailer);
        file.Flush(flushToDisk: queueDirectory is not null);
        file.Dispose();
        _file = null;
        File.Move(_tempPath, finalPath, overwrite: replace);
        if (queueDirectory is not null)
            DurableFiles.SyncDirectory(queueDirectory);
        _committed = true;
        CommittedPath = finalPath;
    }

    /// <summary>Where the spool file is while the message arrives.</summary>
    internal string TempPath => _tempPath;

    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
        if (!_committed)
        {
            try
            {
                File.Delete(_tempPath);
            }
            catch (IOException)
            {
                // Left for the next start's recovery.
            }
        }
    }
}
