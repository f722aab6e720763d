using System.Text;

namespace MailerQ.Www.Auth.Exec;

/// <summary>
/// Drains one output pipe of an exec program to its end, keeping the first <see cref="Capacity"/> bytes
/// for the log and dropping the rest, so a chatty program neither blocks on a full pipe nor fills memory.
/// </summary>
internal sealed class BoundedOutput
{
    private readonly byte[] _kept;
    private int _count;
    private long _total;

    public BoundedOutput(int capacity)
    {
        _kept = new byte[capacity];
    }

    public int Capacity => _kept.Length;

    /// <summary>Bytes the program wrote, kept or not.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>Reads <paramref name="stream"/> until EOF, an I/O error or cancellation.</summary>
    public async Task DrainAsync(Stream stream, CancellationToken cancellationToken)
    {
        byte[] chunk = new byte[4096];
        try
        {
            while (true)
            {
                int n = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
                if (n == 0) return;
                int keep = Math.Min(n, _kept.Length - _count);
                if (keep > 0)
                {
                    chunk.AsSpan(0, keep).CopyTo(_kept.AsSpan(_count));
                    _count += keep;
                }
                Interlocked.Add(ref _total, n);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The pipe broke or we stopped waiting: what was read so far is the output.
        }
    }

    /// <summary>The kept text (invalid UTF-8 replaced), with a note when bytes were dropped.</summary>
    public override string ToString()
    {
        string text = Encoding.UTF8.GetString(_kept, 0, _count);
        long total = Total;
        return total > _count ? $"{text}… [{total - _count} more bytes dropped]" : text;
    }
}
