namespace MailerQ.Www.Core.Sessions;

/// <summary>
/// The last SMTP sessions for <c>/api/smtp/sessions</c>, bounded by count and by bytes: when either bound is
/// passed the oldest records are dropped. Thread-safe.
/// </summary>
public sealed class RecentSessions
{
    /// <summary>Sessions kept (ours: a console page of history without unbounded growth).</summary>
    public const int DefaultMaxSessions = 500;

    /// <summary>Total transcript bytes kept across sessions.</summary>
    public const int DefaultMaxBytes = 16 * 1024 * 1024;

    /// <summary>Per-session transcript bound.</summary>
    public const int DefaultMaxSessionBytes = 256 * 1024;

    private readonly Lock _gate = new();
    private readonly LinkedList<SessionRecord> _records = new();
    private readonly Dictionary<long, LinkedListNode<SessionRecord>> _byId = [];
    private readonly int _maxSessions;
    private readonly long _maxBytes;

    /// <summary>Bytes of the kept records, kept up to date by the records as they grow.</summary>
    private long _bytes;

    /// <summary>A store bounded by session count, total bytes, and per session by bytes and lines.</summary>
    public RecentSessions(int maxSessions = DefaultMaxSessions, long maxBytes = DefaultMaxBytes, int maxSessionBytes = DefaultMaxSessionBytes, int maxLines = 2000)
    {
        _maxSessions = maxSessions;
        _maxBytes = maxBytes;
        MaxSessionBytes = maxSessionBytes;
        MaxLines = maxLines;
    }

    /// <summary>Transcript bytes one session may hold; give it to <see cref="SessionRecord"/>'s constructor.</summary>
    public int MaxSessionBytes { get; }

    /// <summary>Transcript lines one session may hold; give it to <see cref="SessionRecord"/>'s constructor.</summary>
    public int MaxLines { get; }

    /// <summary>Adds a session (at its start: it shows while it runs), dropping the oldest beyond the bounds.</summary>
    public void Add(SessionRecord record)
    {
        lock (_gate)
        {
            _byId[record.Id] = _records.AddFirst(record);
            Interlocked.Add(ref _bytes, record.AttachTo(this));
            // O(1) per session: walking all the records' sizes here was 3 % of mailerq's CPU under smtp-source.
            while (_records.Count > _maxSessions || (Interlocked.Read(ref _bytes) > _maxBytes && _records.Count > 1))
            {
                var last = _records.Last!;
                Interlocked.Add(ref _bytes, -last.Value.Detach());
                _byId.Remove(last.Value.Id);
                _records.RemoveLast();
            }
        }
    }

    /// <summary>Up to <paramref name="limit"/> sessions, newest first.</summary>
    public List<SessionRecord> Latest(int limit)
    {
        lock (_gate)
        {
            var list = new List<SessionRecord>(Math.Min(limit, _records.Count));
            foreach (var r in _records)
            {
                if (list.Count >= limit) break;
                list.Add(r);
            }
            return list;
        }
    }

    /// <summary>The session with number <paramref name="id"/>, or null when unknown or dropped.</summary>
    public SessionRecord? Find(long id)
    {
        lock (_gate)
            return _byId.TryGetValue(id, out var node) ? node.Value : null;
    }

    /// <summary>Called by a kept record that grew by <paramref name="delta"/> bytes.</summary>
    internal void Grew(int delta) => Interlocked.Add(ref _bytes, delta);

    /// <summary>Approximate bytes the kept records hold (the quantity the byte bound limits).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Sessions kept now.</summary>
    public int Count
    {
        get { lock (_gate) return _records.Count; }
    }
}
