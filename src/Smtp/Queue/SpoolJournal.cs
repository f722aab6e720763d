using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using MailerQ.Www.Core.IO;
using MailerQ.Www.Core.Logging;
using Microsoft.Win32.SafeHandles;

namespace MailerQ.Www.Smtp.Queue;

/// <summary>
/// Group commit for accepted mail: the messages of all sessions that finish DATA together are made durable by one
/// append to a journal segment and one fdatasync, instead of an fsync of each message's file and of its directory.
/// </summary>
/// <remarks>
/// <para>Why: on the 2-core test machine (ext4, a virtio disk) every fsync is a synchronous device flush, and each
/// message cost two of them plus an inode allocation under the directory lock, contended by every session:
/// 1,000 messages/s over 10 sessions against smtp-sink's 4,000 (docs/perf.md). One flush per batch serves them all.</para>
/// <para>Protocol. One thread (started on demand, gone after <see cref="IdleExit"/>) takes every pending request at
/// once. For each message it writes the queue file into <c>tmp/</c> and renames it into its queue without an fsync
/// (so the rest of the queue sees the usual one file per message at once), then appends the batch's records to the
/// current segment with one gathered write and fdatasyncs it; only then do the callers' tasks complete (and the
/// sessions send 250, from this thread: see <see cref="Entry.Done"/>). A segment is sealed after
/// <see cref="SealAfter"/> or <see cref="SegmentLimit"/> bytes; a second thread retires sealed segments in order: one
/// syncfs(2) makes all the files they describe durable, then the segment is renamed to a spare (and the rename
/// fsync'd), which the next segment reuses: records written over blocks that exist need no inode update, so each
/// fdatasync is one device write instead of two (0.31 against 0.65 ms on the test disk, docs/perf.md). The format
/// (<see cref="JournalRecord"/>) keeps a recycled segment's earlier life from being read as its current one.</para>
/// <para>Until its segment is retired a message lives durably only in the journal, so removing or moving its file
/// appends a remove record (<see cref="AppendRemoveAsync"/>); otherwise recovery would bring back mail that was
/// delivered. <see cref="Recover"/> replays, at start, every put without a later remove whose file is missing.</para>
/// </remarks>
internal sealed class SpoolJournal
{
    public const string Extension = ".jnl";
    public const string SpareExtension = ".spare";
    /// <summary>Spares kept for reuse: a segment lives about <see cref="SealAfter"/>, retiring one takes a syncfs.</summary>
    private const int MaxSpares = 4;
    private const long SegmentLimit = 8 * 1024 * 1024;
    private static readonly TimeSpan SealAfter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan IdleExit = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    private readonly string _directory;

    private readonly Lock _gate = new();

    // Sessions hand their records over without a lock, and the writer sleeps in a kernel wait instead of a Monitor:
    // the Monitor's spinning made the writer the process's busiest sched_yield caller (strace -f under smtp-source,
    // ~1.5 per message), each one a context switch taken from the sessions on two cores.
    private readonly ConcurrentQueue<Entry> _pending = new();
    private readonly AutoResetEvent _wake = new(false);
    private int _writing;
    private readonly Queue<Segment> _sealed = new();
    /// <summary>Retired segments' files, ready to be overwritten (under <see cref="_gate"/>).</summary>
    private readonly Stack<string> _spares = new();
    private bool _retiring;

    /// <summary>Messages whose segment is not retired yet: queue/id → segment number (under <see cref="_gate"/>).</summary>
    private readonly Dictionary<(string Queue, string Id), long> _unretired = [];
    private long _nextSequence;

    /// <summary>The segment number of a put whose file is being made and whose record is not durable yet.</summary>
    private const long Unwritten = long.MaxValue;

    /// <summary>Owned by the writer thread.</summary>
    private Segment? _current;

    private SpoolJournal(string directory, long nextSequence, IEnumerable<string> spares)
    {
        _directory = directory;
        _nextSequence = nextSequence;
        foreach (var spare in spares)
            _spares.Push(spare);
    }

    /// <summary>
    /// Replays what a previous run left in <paramref name="directory"/> (see <see cref="Recover"/>) and returns an empty
    /// journal there.
    /// </summary>
    public static SpoolJournal Open(string directory, string tempDirectory, Func<string, string> queueDirectory)
    {
        Directory.CreateDirectory(directory);
        // Sequence numbers never repeat while a file that held one is here: a spare's earlier records carry older ones.
        var spares = new List<string>();
        long next = 0;
        foreach (var spare in Directory.GetFiles(directory, "*" + SpareExtension).Order(StringComparer.Ordinal))
        {
            next = Math.Max(next, SequenceOf(spare) + 1);
            if (spares.Count < MaxSpares)
                spares.Add(spare);
            else
                File.Delete(spare);
        }
        next = Math.Max(next, Recover(directory, tempDirectory, queueDirectory));
        return new SpoolJournal(directory, next, spares);
    }

    /// <summary>
    /// Puts <paramref name="mime"/> with <paramref name="meta"/> into <paramref name="queue"/> as the file
    /// <paramref name="finalPath"/>; the task completes once the message is durable (faults if it could not be).
    /// </summary>
    /// <param name="resumeOnWriter">The awaiter continues on the writer thread (see <see cref="Entry.Done"/>).</param>
    public Task AppendPutAsync(string queue, string id, ReadOnlySpan<byte> mime, ReadOnlySpan<byte> meta, string tempPath, string finalPath, bool resumeOnWriter = false)
    {
        var record = JournalRecord.RentPut(queue, id, mime, meta, out int length, out int bodyOffset);
        var entry = new Entry(queue, id, record, length, resumeOnWriter)
        {
            Body = new Range(bodyOffset, length - JournalRecord.CrcSize),
            TempPath = tempPath,
            FinalPath = finalPath,
        };
        return Enqueue(entry);
    }

    /// <summary>
    /// Records that the message's file left <paramref name="queue"/> (call after the unlink or rename), if its put is
    /// still in an unretired segment; completes once that is durable.
    /// </summary>
    public Task AppendRemoveAsync(string queue, string id)
    {
        lock (_gate)
        {
            if (!_unretired.ContainsKey((queue, id)))
                return Task.CompletedTask;
        }
        var record = JournalRecord.RentRemove(queue, id, out int length);
        return Enqueue(new Entry(queue, id, record, length, resumeOnWriter: false));
    }

    /// <summary>Sealed and current segments not yet retired (for tests and the console's diagnostics).</summary>
    public int UnretiredMessages
    {
        get
        {
            lock (_gate)
                return _unretired.Count;
        }
    }

    private Task Enqueue(Entry entry)
    {
        _pending.Enqueue(entry);
        if (Interlocked.CompareExchange(ref _writing, 1, 0) == 0)
            new Thread(Write) { IsBackground = true, Name = "spool journal" }.Start();
        else
            _wake.Set();
        return entry.Done.Task;
    }

    private void Write()
    {
        var batch = new List<Entry>();
        while (true)
        {
            while (_pending.TryDequeue(out var entry))
                batch.Add(entry);
            if (batch.Count == 0)
            {
                bool signalled = _wake.WaitOne(_current is null ? IdleExit : Tick);
                if (!_pending.IsEmpty)
                    continue;
                if (_current is null && !signalled)
                {
                    // Going idle. An Enqueue that saw _writing still 1 only set _wake: look once more, and carry on
                    // if something came in and no new writer was started for it.
                    Volatile.Write(ref _writing, 0);
                    if (_pending.IsEmpty || Interlocked.CompareExchange(ref _writing, 1, 0) != 0)
                        return;
                    continue;
                }
                if (_current is not null && _current.Age.Elapsed >= SealAfter)
                    Seal();
                continue;
            }
            WriteBatch(batch);
            batch.Clear();
            if (_current is not null && (_current.Length >= SegmentLimit || _current.Age.Elapsed >= SealAfter))
                Seal();
        }
    }

    /// <summary>
    /// Makes one batch durable: the queue files first, then the records of those that were made, with one gathered
    /// write and one fdatasync.
    /// </summary>
    /// <remarks>
    /// Creating the files on a second thread while this one flushes (so a session waits for the longer of the two,
    /// not their sum) was tried and measured: no difference in messages/s (docs/perf.md), because on the test machine
    /// the sessions are bound by CPU and context switches, not by this thread. It is not worth the second thread.
    /// </remarks>
    private void WriteBatch(List<Entry> batch)
    {
        // A file is visible (MoveAll lists it) before its record is durable: from now on a move or removal of it must
        // leave a remove record, which lands after this batch's put.
        lock (_gate)
        {
            foreach (var entry in batch)
            {
                if (entry.FinalPath is not null)
                    _unretired[(entry.Queue, entry.Id)] = Unwritten;
            }
        }
        var records = new List<ReadOnlyMemory<byte>>(batch.Count + 1);
        long bytes = 0;
        foreach (var entry in batch)
        {
            if (entry.FinalPath is not null)
                Materialize(entry);
            if (entry.Error is null)
            {
                records.Add(entry.Record.AsMemory(0, entry.Length));
                bytes += entry.Length;
            }
        }
        Segment? segment = null;
        if (records.Count > 0)
        {
            try
            {
                segment = _current ??= OpenSegment();
                foreach (var entry in batch)
                {
                    if (entry.Error is null)
                        JournalRecord.Stamp(entry.Record.AsSpan(0, entry.Length), segment.Token);
                }
                if (segment.Length == 0)
                {
                    // The header goes with the first batch: a header from the file's previous life names another sequence.
                    records.Insert(0, segment.Header);
                    bytes += segment.Header.Length;
                }
                RandomAccess.Write(segment.Handle, records, segment.Length);
                segment.Length += bytes;
                DurableFiles.SyncData(segment.Handle, segment.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.Error("queue", "spool journal write failed", $"error={Log.Quote(e.Message)}");
                foreach (var entry in batch)
                {
                    if (entry.Error is not null)
                        continue;
                    entry.Error = e;
                    if (entry.FinalPath is not null)
                        TryDelete(entry.FinalPath);
                }
                // Its tail may be torn now, and a reader stops at the first bad record: start a fresh segment.
                if (_current is not null)
                    Seal();
            }
        }
        lock (_gate)
        {
            foreach (var entry in batch)
            {
                if (entry.FinalPath is null)
                    continue;
                var key = (entry.Queue, entry.Id);
                if (entry.Error is not null)
                {
                    _unretired.Remove(key);
                    continue;
                }
                _unretired[key] = segment!.Sequence;
                segment.Messages.Add(key);
            }
        }
        foreach (var entry in batch)
        {
            ArrayPool<byte>.Shared.Return(entry.Record);
            if (entry.Error is null)
                entry.Done.SetResult();
            else
                entry.Done.SetException(entry.Error);
        }
    }

    /// <summary>Writes the queue file from the record; not fsync'd (the journal is what is durable).</summary>
    private static void Materialize(Entry entry)
    {
        try
        {
            DurableFiles.WriteNew(entry.TempPath!, entry.Record.AsSpan(entry.Body));
            DurableFiles.RenameNoReplace(entry.TempPath!, entry.FinalPath!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            entry.Error = e;
            TryDelete(entry.TempPath!);
        }
    }

    private Segment OpenSegment()
    {
        long sequence;
        string? spare;
        lock (_gate)
        {
            sequence = _nextSequence++;
            _spares.TryPop(out spare);
        }
        string path = Path.Combine(_directory, SegmentName(sequence, Extension));
        SafeFileHandle? handle = null;
        if (spare is not null)
        {
            bool renamed = false;
            try
            {
                DurableFiles.RenameNoReplace(spare, path);
                renamed = true;
                handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.Read);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Never the segment name unless it is the spare: RenameNoReplace refuses to take an existing one.
                Log.Warning("queue", "spool journal spare not reused", $"spare={spare} error={Log.Quote(e.Message)}");
                TryDelete(renamed ? path : spare);
            }
        }
        handle ??= File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        try
        {
            // The segment's records are found after a crash only if its name is.
            DurableFiles.SyncDirectory(_directory);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        return new Segment(sequence, path, handle);
    }

    private static string SegmentName(long sequence, string extension) =>
        sequence.ToString("D16", System.Globalization.CultureInfo.InvariantCulture) + extension;

    private static long SequenceOf(string path) =>
        long.TryParse(Path.GetFileNameWithoutExtension(path), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long sequence)
            ? sequence : -1;

    private void Seal()
    {
        var segment = _current!;
        _current = null;
        segment.Handle.Dispose();
        bool start;
        lock (_gate)
        {
            _sealed.Enqueue(segment);
            start = !_retiring;
            _retiring = true;
        }
        if (start)
            new Thread(Retire) { IsBackground = true, Name = "spool journal retire" }.Start();
    }

    private void Retire()
    {
        while (true)
        {
            Segment segment;
            lock (_gate)
            {
                if (!_sealed.TryDequeue(out segment!))
                {
                    _retiring = false;
                    return;
                }
            }
            try
            {
                // One flush for every queue file the segment made visible (and whatever else is dirty on that disk).
                DurableFiles.SyncFileSystem(_directory);
                string? spare = null;
                lock (_gate)
                {
                    if (_spares.Count < MaxSpares)
                        spare = Path.Combine(_directory, SegmentName(segment.Sequence, SpareExtension));
                }
                if (spare is null)
                    File.Delete(segment.Path);
                else
                    DurableFiles.RenameNoReplace(segment.Path, spare);
                // Until this is durable the segment's name can come back, and with it mail delivered since.
                DurableFiles.SyncDirectory(_directory);
                if (spare is not null)
                {
                    lock (_gate)
                        _spares.Push(spare);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The segment stays (replayed at the next start); its messages keep getting remove records.
                Log.Warning("queue", "spool journal segment not retired", $"segment={segment.Path} error={Log.Quote(e.Message)}");
                continue;
            }
            lock (_gate)
            {
                foreach (var key in segment.Messages)
                {
                    if (_unretired.TryGetValue(key, out long sequence) && sequence == segment.Sequence)
                        _unretired.Remove(key);
                }
            }
        }
    }

    /// <summary>
    /// Brings back every message of the segments in <paramref name="directory"/> whose file is missing from its queue
    /// (and was not removed since), durably, then deletes the segments. Returns the next segment number.
    /// </summary>
    public static long Recover(string directory, string tempDirectory, Func<string, string> queueDirectory)
    {
        var segments = Directory.GetFiles(directory, "*" + Extension);
        Array.Sort(segments, StringComparer.Ordinal);
        long next = 0;
        var removed = new HashSet<(string, string)>();
        foreach (var path in segments)
        {
            long sequence = SequenceOf(path);
            next = Math.Max(next, sequence + 1);
            ReadOnlySpan<byte> data = File.ReadAllBytes(path);
            if (!JournalRecord.TryReadSegmentHeader(data, sequence, out int start, out ulong token))
                continue;
            data = data[start..];
            while (JournalRecord.TryRead(data, token, out byte kind, out string queue, out string id, out _, out int length))
            {
                if (kind == JournalRecord.Remove)
                    removed.Add((queue, id));
                data = data[length..];
            }
        }
        int replayed = 0, torn = 0;
        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in segments)
        {
            ReadOnlySpan<byte> data = File.ReadAllBytes(path);
            if (!JournalRecord.TryReadSegmentHeader(data, SequenceOf(path), out int start, out ulong token))
            {
                torn += data.IsEmpty ? 0 : 1;
                continue;
            }
            data = data[start..];
            while (JournalRecord.TryRead(data, token, out byte kind, out string queue, out string id, out Range body, out int length))
            {
                if (kind == JournalRecord.Put && !removed.Contains((queue, id))
                    && EmbeddedQueue.IsSafeName(queue) && EmbeddedQueue.IsSafeName(id))
                {
                    string target = queueDirectory(queue);
                    string file = Path.Combine(target, id + QueueFile.Extension);
                    // Not only a missing file: one made visible but never flushed can come back empty or
                    // zero-filled (ext4 without a journal orders nothing). A complete file is kept as it is: it
                    // may be a newer version (a retry replaces its attempt).
                    if (!IsComplete(file))
                    {
                        Directory.CreateDirectory(target);
                        string temp = Path.Combine(tempDirectory, id + ".replay");
                        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
                        {
                            stream.Write(data[body]);
                            stream.Flush(flushToDisk: true);
                        }
                        File.Move(temp, file, overwrite: true);
                        touched.Add(target);
                        replayed++;
                    }
                }
                data = data[length..];
            }
            // A torn record, or (in a recycled segment) the start of what its earlier life left.
            if (!data.IsEmpty)
                torn++;
        }
        foreach (var target in touched)
            DurableFiles.SyncDirectory(target);
        if (segments.Length > 0)
        {
            // What the segments describe is durable now (the files were there, or were just written with fsync);
            // files made visible but not fsync'd before the crash are flushed here before their segment goes.
            DurableFiles.SyncFileSystem(directory);
            foreach (var path in segments)
                File.Delete(path);
            DurableFiles.SyncDirectory(directory);
            Log.Info("queue", "spool journal recovered", $"segments={segments.Length} replayed={replayed} tails_ignored={torn}");
        }
        return next;
    }

    private static bool IsComplete(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return QueueFile.TryReadLayout(handle, out _, out _);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for recovery.
        }
    }

    private sealed class Entry(string queue, string id, byte[] record, int length, bool resumeOnWriter)
    {
        public string Queue { get; } = queue;
        public string Id { get; } = id;
        public byte[] Record { get; } = record;
        public int Length { get; } = length;
        public Range Body { get; init; }
        public string? TempPath { get; init; }
        public string? FinalPath { get; init; }
        public Exception? Error { get; set; }
        /// <summary>
        /// Completed by the writer after the flush. An SMTP session's put (<c>resumeOnWriter</c>) continues right on
        /// the writer thread: its 250, the message store link and the next read take microseconds, and a pool
        /// wake-up per message was one of the largest costs left (docs/perf.md). Every other awaiter (the outbox
        /// after a removal may go on to deliver; a caller may wait synchronously for the journal, which from the
        /// writer thread would wait for itself) continues on the pool.
        /// </summary>
        public TaskCompletionSource Done { get; } = new(resumeOnWriter ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Segment
    {
        public Segment(long sequence, string path, SafeFileHandle handle)
        {
            Sequence = sequence;
            Path = path;
            Handle = handle;
            Span<byte> random = stackalloc byte[8];
            do
            {
                System.Security.Cryptography.RandomNumberGenerator.Fill(random);
                Token = BitConverter.ToUInt64(random);
            }
            while (Token == 0);
            JournalRecord.WriteSegmentHeader(Header, sequence, Token);
        }

        public long Sequence { get; }
        /// <summary>Random per segment life: records of an earlier life, or forged in a message body, lack it.</summary>
        public ulong Token { get; }
        public byte[] Header { get; } = new byte[JournalRecord.SegmentHeaderSize];
        public string Path { get; }
        public SafeFileHandle Handle { get; }
        public long Length { get; set; }
        public Stopwatch Age { get; } = Stopwatch.StartNew();
        public List<(string Queue, string Id)> Messages { get; } = [];
    }
}
