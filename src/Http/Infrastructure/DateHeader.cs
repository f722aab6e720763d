using System.Buffers.Text;
using System.Text;

namespace MailerQ.Www.Http.Infrastructure;

/// <summary>
/// The <c>Date</c> header value (IMF-fixdate, RFC 9110 §5.6.7), formatted once per second and shared
/// by every response, so writing it costs a copy and no allocation.
/// </summary>
internal static class DateHeader
{
    private sealed record Snapshot(long Second, byte[] Value);

    private static Snapshot _current = Make(DateTimeOffset.UtcNow);

    /// <summary>Today's value, e.g. <c>Thu, 26 Nov 2026 10:35:10 GMT</c>.</summary>
    public static ReadOnlySpan<byte> Value
    {
        get
        {
            var now = DateTimeOffset.UtcNow;
            long second = now.ToUnixTimeSeconds();
            var snap = Volatile.Read(ref _current);
            if (snap.Second != second)
            {
                snap = Make(now);
                Volatile.Write(ref _current, snap);
            }
            return snap.Value;
        }
    }

    private static Snapshot Make(DateTimeOffset now)
    {
        Span<byte> buf = stackalloc byte[32];
        Utf8Formatter.TryFormat(now, buf, out int n, new System.Buffers.StandardFormat('R'));
        return new Snapshot(now.ToUnixTimeSeconds(), buf[..n].ToArray());
    }

    /// <summary>Formats any instant as IMF-fixdate (for Last-Modified).</summary>
    public static string Format(DateTimeOffset instant)
    {
        Span<byte> buf = stackalloc byte[32];
        Utf8Formatter.TryFormat(instant.ToUniversalTime(), buf, out int n, new System.Buffers.StandardFormat('R'));
        return Encoding.ASCII.GetString(buf[..n]);
    }
}
