namespace MailerQ.Www.Core.Sessions;

/// <summary>Inbound counters for the dashboard (<c>/api/stats</c> "inbound"): plain Interlocked longs.</summary>
public sealed class SmtpCounters
{
    private long _connections;
    private long _messages;
    private long _bytes;
    private readonly long[] _rejections = new long[Enum.GetValues<SmtpRejection>().Length];

    /// <summary>Connections accepted.</summary>
    public long Connections => Interlocked.Read(ref _connections);
    /// <summary>Messages accepted.</summary>
    public long Messages => Interlocked.Read(ref _messages);
    /// <summary>Bytes of the messages accepted.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Refusals for <paramref name="reason"/>.</summary>
    public long Rejections(SmtpRejection reason) => Interlocked.Read(ref _rejections[(int)reason]);

    /// <summary>Counts an accepted connection.</summary>
    public void Connection() => Interlocked.Increment(ref _connections);

    /// <summary>Counts an accepted message of <paramref name="bytes"/> bytes.</summary>
    public void Message(long bytes)
    {
        Interlocked.Increment(ref _messages);
        Interlocked.Add(ref _bytes, bytes);
    }

    /// <summary>Counts a refusal.</summary>
    public void Reject(SmtpRejection reason) => Interlocked.Increment(ref _rejections[(int)reason]);
}
