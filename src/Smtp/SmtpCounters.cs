namespace MailerQ.Www.Smtp;

/// <summary>Inbound counters for the dashboard (<c>/api/stats</c> "inbound"): plain Interlocked longs.</summary>
internal sealed class SmtpCounters
{
    private long _connections;
    private long _messages;
    private long _bytes;
    private readonly long[] _rejections = new long[Enum.GetValues<SmtpRejection>().Length];

    public long Connections => Interlocked.Read(ref _connections);
    public long Messages => Interlocked.Read(ref _messages);
    public long Bytes => Interlocked.Read(ref _bytes);

    public long Rejections(SmtpRejection reason) => Interlocked.Read(ref _rejections[(int)reason]);

    public void Connection() => Interlocked.Increment(ref _connections);

    public void Message(long bytes)
    {
        Interlocked.Increment(ref _messages);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void Reject(SmtpRejection reason) => Interlocked.Increment(ref _rejections[(int)reason]);
}
