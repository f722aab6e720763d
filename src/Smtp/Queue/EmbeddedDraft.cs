using System.Buffers;
using MailerQ.Www.Core.IO;

namespace MailerQ.Www.Smtp.Queue;

/// <summary>
/// A message being received. The first <see cref="MemoryLimit"/> bytes stay in a pooled buffer (most mail is smaller,
/// and goes to the spool journal from there without a file of its own under <c>tmp/</c>); a larger message is spooled
/// to a file under <c>queue/tmp/</c> as it arrives (both back-ends spool there, so memory stays bounded).
/// </summary>
internal sealed class EmbeddedDraft : IMessageDraft
{
    /// <summary>Largest message kept in memory: 64 KiB per session at most.</summary>
    public const int MemoryLimit = 64 * 1024;

    private readonly string _tempPath;
    private byte[]? _buffer;
    private FileStream? _file;
    private bool _committed;
    private bool _disposed;

    public EmbeddedDraft(string tempDirectory, string id)
    {
        Id = id;
        _tempPath = Path.Combine(tempDirectory, id + ".tmp");
    }

    public string Id { get; }

    public long Length { get; private set; }

    /// <summary>Where the committed file is (for the console's message store).</summary>
    public string? CommittedPath { get; private set; }

    /// <summary>The committed file's size in bytes: MIME, meta and trailer (the message store counts it without a stat).</summary>
    public long CommittedLength { get; private set; }

    /// <summary>The whole message while it is held in memory; false once it was spooled to a file.</summary>
    internal bool TryGetBuffered(out ReadOnlySpan<byte> mime)
    {
        mime = _file is null ? _buffer.AsSpan(0, (int)Length) : default;
        return _file is null;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_file is null && Length + bytes.Length <= MemoryLimit)
        {
            int length = (int)Length;
            if (_buffer is null || _buffer.Length < length + bytes.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(length + bytes.Length, Math.Min(MemoryLimit, Math.Max(4096, length * 2))));
                _buffer.AsSpan(0, length).CopyTo(larger);
                Release();
                _buffer = larger;
            }
            bytes.CopyTo(_buffer.AsSpan(length));
        }
        else
        {
            Spool().Write(bytes);
        }
        Length += bytes.Length;
    }

    /// <summary>The spool file, created (with what was buffered so far) on first need.</summary>
    private FileStream Spool()
    {
        if (_file is null)
        {
            _file = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, bufferSize: 64 * 1024);
            _file.Write(_buffer.AsSpan(0, (int)Length));
            Release();
        }
        return _file;
    }

    public int ReadHead(Span<byte> buffer)
    {
        int want = (int)Math.Min(buffer.Length, Length);
        if (_file is null)
        {
            _buffer.AsSpan(0, want).CopyTo(buffer);
            return want;
        }
        _file.Flush();
        return RandomAccess.Read(_file.SafeFileHandle, buffer[..want], 0);
    }

    /// <summary>The whole message (RabbitMQ publishes it inside JSON, so it must be in memory; bounded by smtp-maxsize).</summary>
    internal byte[] ReadAll()
    {
        if (_file is null)
            return _buffer.AsSpan(0, (int)Length).ToArray();
        _file.Flush();
        var bytes = new byte[Length];
        RandomAccess.Read(_file.SafeFileHandle, bytes, 0);
        return bytes;
    }

    /// <param name="queueDirectory">Directory to fsync after the rename; null for a copy that need not survive a crash (the console's store).</param>
    internal void Commit(byte[] meta, string finalPath, string? queueDirectory, bool replace = false)
    {
        var file = Spool();
        file.Write(meta);
        Span<byte> trailer = stackalloc byte[QueueFile.TrailerSize];
        QueueFile.WriteTrailer(trailer, Length, meta.Length);
        file.Write(trailer);
        file.Flush(flushToDisk: queueDirectory is not null);
        file.Dispose();
        _file = null;
        _disposed = true;
        File.Move(_tempPath, finalPath, overwrite: replace);
        if (queueDirectory is not null)
            DurableFiles.SyncDirectory(queueDirectory);
        MarkCommitted(finalPath, meta.Length);
    }

    /// <summary>The spool journal wrote the queue file from the buffer (<see cref="SpoolJournal"/>).</summary>
    internal void MarkCommitted(string finalPath, int metaLength)
    {
        _committed = true;
        _disposed = true;
        CommittedPath = finalPath;
        CommittedLength = Length + metaLength + QueueFile.TrailerSize;
        Release();
    }

    /// <summary>The message's name under <c>tmp/</c>: its spool file once it is larger than <see cref="MemoryLimit"/>, else where the spool journal writes its queue file before the rename.</summary>
    internal string TempPath => _tempPath;

    private void Release()
    {
        if (_buffer is not null)
            ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
    }

    public void Dispose()
    {
        _disposed = true;
        Release();
        bool spooled = _file is not null;
        _file?.Dispose();
        _file = null;
        if (spooled && !_committed)
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
