namespace MailerQ.Www.Smtp.Sessions;

/// <summary>
/// The last SMTP sessions for <c>/api/smtp/sessions</c>, bounded by count and by bytes: when either bound is
/// passed the oldest records are dropped. Thread-safe.
/// </summary>
internal sealed class RecentSessions
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

    public RecentSessions(int maxSessions = DefaultMaxSessions, long maxBytes = DefaultMaxBytes, int maxSessionBytes = DefaultMaxSessionBytes, int maxLines = 2000)
    {
        _maxSessions = maxSessions;
        _maxBytes = maxBytes;
        MaxSessionBytes = maxSessionBytes;
        MaxLines = maxLines;
    }

    public int MaxSessionBytes { get; }
    public int MaxLines { get; }

    public void Add(SessionRecord record)
    {
        lock (_gate)
        {
            _byId[record.Id] = _records.AddFirst(record);
            long bytes = 0;
            foreach (var r in _records) bytes += r.Bytes;
            while (_records.Count > _maxSessions || (bytes > _maxBytes && _records.Count > 1))
            {
                var last = _records.Last!;
                bytes -= last.Value.Bytes;
                _byId.Remove(last.Value.Id);
                _records.RemoveLast();
            }
        }
    }

    /// <summary>Newest first.</summary>
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

    public SessionRecord? Find(long id)
    {
        lock (_gate)
            return _byId.TryGetValue(id, out var node) ? node.Value : null;
    }

    public int Count
    {
        get { lock (_gate) return _records.Count; }
    }
}
