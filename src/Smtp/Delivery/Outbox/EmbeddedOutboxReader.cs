using MailerQ.Www.Core.Logging;
using MailerQ.Www.Smtp.Queue;

namespace MailerQ.Www.Smtp.Delivery.Outbox;

/// <summary>
/// Reads the embedded queue's outbox directory. Memory holds only an index entry per file (id and due time),
/// never the MIME of a message that is not being delivered, so 100,000 queued messages cost a few megabytes.
/// </summary>
/// <remarks>
/// New files arrive through <see cref="EmbeddedQueue.Committed"/> (SMTP, retries, injections, resumed pauses);
/// a rescan every <see cref="RescanInterval"/> catches anything else (files copied in by an operator). A file
/// stays on disk until every message in it is completed; a file replaced while its messages are in flight
/// (a retry published under the same id) is re-indexed instead of deleted.
/// </remarks>
internal sealed class EmbeddedOutboxReader : IOutboxReader
{
    private sealed class FileState
    {
        public DateTimeOffset Due;
        public int Priority;
        public int InFlight;
        public bool Replaced;
        public bool Taken;
    }

    private readonly EmbeddedQueue _queue;
    private readonly string _outbox;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FileState> _files = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _due = new();
    /// <summary>Entries whose time has come, highest <c>priority</c> first, then oldest due first.</summary>
    private readonly PriorityQueue<string, (int NegatedPriority, DateTimeOffset Due)> _now = new();
    private readonly Queue<OutboxLease> _ready = new();
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    private long _inFlight;
    private DateTimeOffset _lastScan;

    public EmbeddedOutboxReader(EmbeddedQueue queue, string outbox = QueueNames.Outbox, TimeProvider? time = null)
    {
        _queue = queue;
        _outbox = outbox;
        _time = time ?? TimeProvider.System;
        Directory.CreateDirectory(queue.QueueDirectory(outbox));
        queue.Committed += OnCommitted;
        Rescan();
    }

    public TimeSpan RescanInterval { get; init; } = TimeSpan.FromSeconds(30);

    public long Waiting { get { lock (_gate) return _files.Count - _filesTaken; } }

    public long InFlight => Interlocked.Read(ref _inFlight);

    private int _filesTaken;

    public async ValueTask<OutboxLease> TakeAsync(CancellationToken ct)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                if (_ready.TryDequeue(out var lease))
                {
                    Interlocked.Increment(ref _inFlight);
                    return lease;
                }
                var now = _time.GetUtcNow();
                if (now - _lastScan >= RescanInterval)
                    RescanLocked(now);
                wait = RescanInterval;
                while (_due.TryPeek(out var id, out var due))
                {
                    if (!_files.TryGetValue(id, out var state) || state.Taken || state.Due != due)
                    {
                        _due.Dequeue(); // stale heap entry
                        continue;
                    }
                    if (due > now)
                    {
                        wait = due - now;
                        break;
                    }
                    _due.Dequeue();
                    _now.Enqueue(id, (-state.Priority, due));
                }
                while (_now.TryDequeue(out var id, out var key))
                {
                    if (!_files.TryGetValue(id, out var state) || state.Taken || state.Due != key.Due)
                        continue; // stale
                    if (LoadLocked(id, state))
                        break;
                }
                if (_ready.Count > 0)
                    continue;
            }
            if (wait > RescanInterval)
                wait = RescanInterval;
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var delay = Task.Delay(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, _time, timer.Token);
            var signalled = _signal.WaitAsync(timer.Token);
            await Task.WhenAny(delay, signalled).ConfigureAwait(false);
            timer.Cancel();
            ct.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Reads one due file and queues its messages; false when it vanished.</summary>
    private bool LoadLocked(string id, FileState state)
    {
        var raw = QueueFile.ReadRaw(_queue.PathOf(_outbox, id));
        if (raw is null)
        {
            // Gone, or no trailer (cannot happen for renamed files): forget it; a damaged file is reported below.
            if (!File.Exists(_queue.PathOf(_outbox, id)))
            {
                _files.Remove(id);
                return false;
            }
            raw = ([], []);
        }
        var messages = raw.Value.Meta.Length == 0
            ? [StoredEntry.Invalid(id, "damaged queue file", null)]
            : StoredEntry.Expand(id, raw.Value.Meta, raw.Value.Mime, out _);
        state.Taken = true;
        state.InFlight = messages.Count;
        state.Replaced = false;
        _filesTaken++;
        foreach (var message in messages)
            _ready.Enqueue(new OutboxLease(message, lease => CompleteAsync(id)));
        if (messages.Count == 0)
        {
            state.InFlight = 1;
            _ = CompleteAsync(id);
        }
        return true;
    }

    private ValueTask CompleteAsync(string id)
    {
        Interlocked.Decrement(ref _inFlight);
        bool delete = false;
        lock (_gate)
        {
            if (!_files.TryGetValue(id, out var state) || --state.InFlight > 0)
                return ValueTask.CompletedTask;
            state.Taken = false;
            _filesTaken--;
            if (state.Replaced)
            {
                // A retry was published under this id while it was out: index the new content.
                IndexLocked(id, _time.GetUtcNow());
            }
            else
            {
                _files.Remove(id);
                delete = true;
            }
        }
        // The unlink happens before this returns (so a rescan cannot find the file again); its directory fsync is
        // shared with concurrent completions.
        return delete ? RemoveAsync(id) : ValueTask.CompletedTask;
    }

    private async ValueTask RemoveAsync(string id) => await _queue.RemoveAsync(_outbox, id).ConfigureAwait(false);

    private void OnCommitted(string queue, string id)
    {
        if (queue != _outbox)
            return;
        lock (_gate)
        {
            if (_files.TryGetValue(id, out var state) && state.Taken)
                state.Replaced = true;
            else
                IndexLocked(id, _time.GetUtcNow());
        }
        _signal.Release();
    }

    private void IndexLocked(string id, DateTimeOffset now)
    {
        var raw = QueueFile.ReadRaw(_queue.PathOf(_outbox, id), withMime: false);
        if (raw is null && !File.Exists(_queue.PathOf(_outbox, id)))
        {
            _files.Remove(id);
            return;
        }
        var due = raw is null ? now : StoredEntry.DueTime(raw.Value.Meta, now);
        if (!_files.TryGetValue(id, out var state))
            _files[id] = state = new FileState();
        state.Due = due;
        state.Priority = raw is null ? 0 : StoredEntry.Priority(raw.Value.Meta);
        _due.Enqueue(id, due);
    }

    /// <summary>Indexes files not known yet (start-up, and periodically).</summary>
    public void Rescan()
    {
        lock (_gate)
            RescanLocked(_time.GetUtcNow());
    }

    private void RescanLocked(DateTimeOffset now)
    {
        _lastScan = now;
        int added = 0;
        foreach (var id in _queue.List(_outbox))
        {
            if (_files.ContainsKey(id))
                continue;
            IndexLocked(id, now);
            added++;
        }
        if (added > 0)
            Log.Info("outbox", "indexed queued messages", $"count={added}");
    }

    public ValueTask DisposeAsync()
    {
        _queue.Committed -= OnCommitted;
        _signal.Dispose();
        return ValueTask.CompletedTask;
    }
}
