using System.Net;

namespace MailerQ.Www.Smtp.Sessions;

/// <summary>
/// What the console shows about one SMTP session. Written by the session's own loop, read by API requests:
/// every access goes through the record's lock, and readers get copies.
/// </summary>
internal sealed class SessionRecord
{
    private readonly Lock _gate = new();
    private readonly List<TranscriptLine> _transcript = [];
    private readonly List<string> _recipients = [];
    private readonly long _startTicks = Environment.TickCount64;
    private readonly int _maxLines;
    private readonly int _maxBytes;
    private int _bytes;
    private bool _truncated;

    public SessionRecord(long id, string direction, IPEndPoint? peer, DateTimeOffset started, int maxLines, int maxBytes)
    {
        Id = id;
        Direction = direction;
        Peer = peer;
        Started = started;
        _maxLines = maxLines;
        _maxBytes = maxBytes;
    }

    public long Id { get; }
    public string Direction { get; }
    public IPEndPoint? Peer { get; }
    public DateTimeOffset Started { get; }

    public string State { get { lock (_gate) return _state; } set { lock (_gate) _state = value; } }
    private string _state = "connected";

    public string? From { get { lock (_gate) return _from; } }
    private string? _from;

    public long Size { get { lock (_gate) return _size; } }
    private long _size;

    public string? MessageId { get { lock (_gate) return _messageId; } }
    private string? _messageId;

    public string? HeloName { get; set; }
    public string? User { get; set; }
    public string? Cipher { get; set; }

    /// <summary>Approximate bytes this record holds, for the store's byte bound.</summary>
    public int Bytes { get { lock (_gate) return _bytes + 256; } }

    public string[] Recipients { get { lock (_gate) return [.. _recipients]; } }

    public TranscriptLine[] Transcript { get { lock (_gate) return [.. _transcript]; } }

    public void StartTransaction(string from)
    {
        lock (_gate)
        {
            _from = from;
            _recipients.Clear();
            _size = 0;
        }
    }

    public void AddRecipient(string rcpt)
    {
        lock (_gate)
        {
            if (_recipients.Count < 1000)
            {
                _recipients.Add(rcpt);
                _bytes += rcpt.Length * 2;
            }
        }
    }

    public void Accepted(string messageId, long size)
    {
        lock (_gate)
        {
            _messageId = messageId;
            _size = size;
        }
    }

    /// <summary>Adds a line unless the per-session bound is reached (then one marker line says so).</summary>
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
            _bytes += line.Length * 2 + 32;
        }
    }
}
