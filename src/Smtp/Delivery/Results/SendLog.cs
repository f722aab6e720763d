using System.Globalization;
using System.Text;
using MailerQ.Www.Core.Config;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Smtp.Delivery.Messages;
using MailerQ.Www.Core.Delivery;

namespace MailerQ.Www.Smtp.Delivery.Results;

/// <summary>
/// MailerQ's send log (<c>send-log-file</c>, 5.13/logging.md): one line per final result and per temporary
/// failure, in the format of docs/delivery.md "Send log", naming the recipient, the SMTP code and the enhanced
/// status (CONTRACT.md "Mail"). Lines are buffered and flushed at least once a second and on dispose;
/// <see cref="Reopen"/> starts a new file after logrotate moved the old one (the host calls it on SIGHUP).
/// The last <see cref="Capacity"/> entries stay in memory for the console's Logs page, with or without a file.
/// </summary>
/// <remarks>Thread-safe: every member takes one lock; writes only fill the buffer, so holding it is short.</remarks>
internal sealed class SendLog : ISendLog, IDisposable
{
    /// <summary>Lines kept for the Logs page: enough for a screenful of filtering, bounded memory.</summary>
    public const int DefaultCapacity = 1000;

    /// <summary>The flush interval the format documents ("at least every second").</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly SendLogEntry?[] _ring;
    private readonly ITimer? _timer;
    private readonly TimeProvider _time;
    private int _next;
    private int _count;
    private StreamWriter? _writer;
    private bool _dirty;
    private bool _disposed;

    public SendLog(string? path, TimeProvider time, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Path = path;
        _time = time;
        _ring = new SendLogEntry?[capacity];
        if (path is not null)
        {
            // A log that cannot be opened at start is a setup fault the operator must see now.
            _writer = Open(path);
            _timer = time.CreateTimer(static state => ((SendLog)state!).Flush(), this, FlushInterval, FlushInterval);
        }
    }

    /// <summary>The file, or null when <c>send-log-file</c> is unset (memory only).</summary>
    public string? Path { get; }

    public int Capacity => _ring.Length;

    /// <summary>Reads <c>send-log-file</c> (relative paths against the working directory) and opens it.</summary>
    public static SendLog Open(ConfigSet config, TimeProvider time) => new(ReadPath(config, Directory.GetCurrentDirectory()), time);

    /// <summary>The absolute log path, or null when unset; a missing directory is a config error.</summary>
    internal static string? ReadPath(ConfigSet config, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        var entry = config.Last("send-log-file");
        if (entry is null || entry.Value.Length == 0)
            return null;
        string path = System.IO.Path.GetFullPath(entry.Value, workingDirectory);
        if (Directory.Exists(path))
        {
            config.Report(entry, $"{ConfigText.Quote(path)} is a directory, not a file");
            return null;
        }
        if (System.IO.Path.GetDirectoryName(path) is { } directory && !Directory.Exists(directory))
        {
            config.Report(entry, $"directory {ConfigText.Quote(directory)} does not exist");
            return null;
        }
        return path;
    }

    /// <summary>Logs the outcome of <paramref name="result"/>, the attempt (or final verdict) just added to <paramref name="message"/>.</summary>
    public SendLogEntry Write(OutboxMessage message, AttemptResult result, ResultKind kind)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(result);
        var entry = Format(message, result, kind, result.Time == default ? _time.GetUtcNow() : result.Time);
        lock (_gate)
        {
            _ring[_next] = entry;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
            if (_writer is not null && !_disposed)
            {
                try
                {
                    _writer.Write(entry.Line);
                    _writer.Write('\n');
                    _dirty = true;
                }
                catch (IOException e)
                {
                    // A full disk must not stop deliveries; the entry stays in memory and the next Reopen tries again.
                    Log.Error("sendlog", "cannot write the send log", $"path={Log.Quote(Path)} error={Log.Quote(e.Message)}");
                    CloseWriter();
                }
            }
        }
        return entry;
    }

    /// <summary>Newest first; <paramref name="filter"/> keeps entries whose line contains it (any case).</summary>
    public IReadOnlyList<SendLogEntry> Recent(int limit, string? filter)
    {
        var result = new List<SendLogEntry>(Math.Clamp(limit, 0, _ring.Length));
        lock (_gate)
        {
            for (int i = 1; i <= _count && result.Count < limit; i++)
            {
                var entry = _ring[(_next - i + _ring.Length) % _ring.Length]!;
                if (string.IsNullOrEmpty(filter) || entry.Line.Contains(filter, StringComparison.OrdinalIgnoreCase))
                    result.Add(entry);
            }
        }
        return result;
    }

    /// <summary>Writes buffered lines to the file (the timer calls it every second).</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (!_dirty || _writer is null)
                return;
            try
            {
                _writer.Flush();
                _dirty = false;
            }
            catch (IOException e)
            {
                Log.Error("sendlog", "cannot write the send log", $"path={Log.Quote(Path)} error={Log.Quote(e.Message)}");
                CloseWriter();
            }
        }
    }

    /// <summary>
    /// Flushes and closes the current file and opens <see cref="Path"/> anew: after logrotate renamed the file,
    /// new lines go to a fresh one. Errors are logged, not thrown (it runs from a signal handler).
    /// </summary>
    public void Reopen()
    {
        if (Path is null)
            return;
        lock (_gate)
        {
            if (_disposed)
                return;
            try
            {
                _writer?.Flush();
            }
            catch (IOException)
            {
                // The old file is being replaced anyway.
            }
            CloseWriter();
            try
            {
                _writer = Open(Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.Error("sendlog", "cannot reopen the send log", $"path={Log.Quote(Path)} error={Log.Quote(e.Message)}");
            }
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_gate)
        {
            if (_disposed)
                return;
            try
            {
                _writer?.Flush();
            }
            catch (IOException e)
            {
                Log.Error("sendlog", "cannot write the send log", $"path={Log.Quote(Path)} error={Log.Quote(e.Message)}");
            }
            CloseWriter();
            _disposed = true;
        }
    }

    /// <summary>
    /// <c>TIME ID DISPOSITION RECIPIENT STATE RESULT CODE STATUS attempt=N mta=IP remote=IP tags=T "DESCRIPTION"</c>;
    /// absent values are <c>-</c>, fields with blanks or quotes are quoted, the description always.
    /// </summary>
    internal static SendLogEntry Format(OutboxMessage message, AttemptResult result, ResultKind kind, DateTimeOffset time)
    {
        string disposition = kind switch
        {
            ResultKind.Delivered => "delivered",
            ResultKind.Failed => "failed",
            _ => "retry",
        };
        var tags = message.Tags;
        var sb = new StringBuilder(160);
        sb.Append(OutboxJson.FormatTime(time))
          .Append(' ').Append(Field(message.Id))
          .Append(' ').Append(disposition)
          .Append(' ').Append(Field(message.Recipient))
          .Append(' ').Append(Field(result.State))
          .Append(' ').Append(Field(result.Result))
          .Append(' ').Append(result.Code > 0 ? result.Code.ToString(CultureInfo.InvariantCulture) : "-")
          .Append(' ').Append(Field(result.Status))
          .Append(" attempt=").Append(message.Attempts.ToString(CultureInfo.InvariantCulture))
          .Append(" mta=").Append(Field(result.From))
          .Append(" remote=").Append(Field(result.To))
          .Append(" tags=").Append(tags.Count == 0 ? "-" : Field(string.Join(',', tags)))
          .Append(' ').Append(Quoted(result.Description));
        return new SendLogEntry
        {
            Time = time,
            Id = message.Id,
            Disposition = disposition,
            Recipient = message.Recipient,
            State = result.State,
            Result = result.Result,
            Code = result.Code,
            Status = result.Status,
            Attempt = message.Attempts,
            Mta = result.From,
            Remote = result.To,
            Tags = tags,
            Description = result.Description,
            Line = sb.ToString(),
        };
    }

    private static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "-";
        foreach (char c in value)
        {
            if (c <= ' ' || c == '"' || c == '\\' || c == 0x7f)
                return Quoted(value);
        }
        return value;
    }

    /// <summary>Quotes with <c>\"</c>, <c>\\</c> and <c>\n</c>-style escapes, so a remote's reply text can never split or forge a line.</summary>
    private static string Quoted(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\r': sb.Append("\\r"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (char.IsControl(c))
                        sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
                    else
                        sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    private static StreamWriter Open(string path)
    {
        // Append, and let logrotate rename or delete the file under us (FileShare.Delete).
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        return new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024);
    }

    private void CloseWriter()
    {
        try
        {
            _writer?.Dispose();
        }
        catch (IOException)
        {
            // Closing flushes; a failing disk was already reported.
        }
        _writer = null;
        _dirty = false;
    }
}
