using System.Net;

namespace MailerQ.Www.Core.Sessions;

/// <summary>
/// What the console shows about one SMTP session. Written by the session's own loop, read by API requests:
/// every access goes through the record's lock, and readers get copies.
/// </summary>
public sealed class SessionRecord
{
    private readonly Lock _gate = new();
    private readonly List<TranscriptLine> _transcript = [];
    private readonly List<string> _recipients = [];
    private readonly long _startTicks = Environment.TickCount64;
    private readonly int _maxLines;
    private readonly int _maxBytes;
    private int _bytes;
    private bool _truncated;

    // The store this record counts in (under _gate), so that the store keeps its byte total as a running sum
    // instead of walking all its records on every new session. What it counts there is always Bytes.
    private RecentSessions? _store;

    /// <summary>Bytes counted for a record besides its transcript and recipients (fields, list headers).</summary>
    private const int Overhead = 256;

    /// <summary>
    /// A session numbered <paramref name="id"/> (unique within the store, shown in the URL),
    /// <paramref name="direction"/> <c>in</c> or <c>out</c>, bounded by <paramref name="maxLines"/> and <paramref name="maxBytes"/>
    /// (<see cref="RecentSessions.MaxLines"/>, <see cref="RecentSessions.MaxSessionBytes"/>).
    /// </summary>
    public SessionRecord(long id, string direction, IPEndPoint? peer, DateTimeOffset started, int maxLines, int maxBytes)
    {
        Id = id;
        Direction = direction;
        Peer = peer;
        Started = started;
        _maxLines = maxLines;
        _maxBytes = maxBytes;
    }

    /// <summary>The session number.</summary>
    public long Id { get; }

    /// <summary><c>in</c> or <c>out</c>.</summary>
    public string Direction { get; }

    /// <summary>The client's (or remote server's) address.</summary>
    public IPEndPoint? Peer { get; }

    /// <summary>When the connection was accepted.</summary>
    public DateTimeOffset Started { get; }

    /// <summary>Where the session is (<c>connected</c>, <c>greeted</c>, <c>data</c>, <c>closed</c>, …): free text shown in the list.</summary>
    public string State { get { lock (_gate) return _state; } set { lock (_gate) _state = value; } }
    private string _state = "connected";

    /// <summary>The envelope sender of the current or last transaction.</summary>
    public string? From { get { lock (_gate) return _from; } }
    private string? _from;

    /// <summary>Size of the last accepted message.</summary>
    public long Size { get { lock (_gate) return _size; } }
    private long _size;

    /// <summary>Id of the last accepted message (what <see cref="Messages.IMessageSource"/> finds it by).</summary>
    public string? MessageId { get { lock (_gate) return _messageId; } }
    private string? _messageId;

    /// <summary>The HELO/EHLO name.</summary>
    public string? HeloName { get; set; }

    /// <summary>The authenticated user, if any.</summary>
    public string? User { get; set; }

    /// <summary>The TLS cipher suite, if any.</summary>
    public string? Cipher { get; set; }

    /// <summary>Approximate bytes this record holds, for the store's byte bound.</summary>
    public int Bytes { get { lock (_gate) return _bytes + Overhead; } }

    /// <summary>The envelope recipients of the current or last transaction (a copy).</summary>
    public string[] Recipients { get { lock (_gate) return [.. _recipients]; } }

    /// <summary>The transcript so far (a copy).</summary>
    public TranscriptLine[] Transcript { get { lock (_gate) return [.. _transcript]; } }

    /// <summary>A <c>MAIL FROM</c> was accepted: a new transaction.</summary>
    public void StartTransaction(string from)
    {
        lock (_gate)
        {
            _from = from;
            _recipients.Clear();
            _size = 0;
        }
    }

    /// <summary>A <c>RCPT TO</c> was accepted.</summary>
    public void AddRecipient(string rcpt)
    {
        lock (_gate)
        {
            if (_recipients.Count < 1000)
            {
                _recipients.Add(rcpt);
                Grow(rcpt.Length * 2);
            }
        }
    }

    /// <summary>The message was accepted under <paramref name="messageId"/>.</summary>
    public void Accepted(string messageId, long size)
    {
        lock (_gate)
        {
            _messageId = messageId;
            _size = size;
        }
    }

    /// <summary><paramref name="dir"/> is <c>c</c> (client) or <c>s</c> (server). Adds a line unless the per-session bound is reached (then one marker line says so).</summary>
    public void AddLine(char dir, string line)
    {
        lock (_gate)
        {
            if (_truncated)
                return;
            if (_transcript.Count >= _maxLines || _bytes + line.Length * 2 > _maxBytes)
            {
                _truncated = true;
                _transcript.Add(new TranscriptLine(Environment.TickCount64 - _startTicks, 's', "[transcript truncated]"));
                return;
            }
            _transcript.Add(new TranscriptLine(Environment.TickCount64 - _startTicks, dir, line));
            Grow(line.Length * 2 + 32);
        }
    }

    /// <summary>Starts counting this record's bytes in <paramref name="store"/>'s total; returns what it counts now.</summary>
    internal int AttachTo(RecentSessions store)
    {
        lock (_gate)
        {
            _store = store;
            return _bytes + Overhead;
        }
    }

    /// <summary>Stops counting in the store; returns what was counted there.</summary>
    internal int Detach()
    {
        lock (_gate)
        {
            _store = null;
            return _bytes + Overhead;
        }
    }

    private void Grow(int delta)
    {
        _bytes += delta;
        _store?.Grew(delta);
    }
}
