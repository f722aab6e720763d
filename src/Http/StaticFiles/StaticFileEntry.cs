using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace MailerQ.Www.Http.StaticFiles;

/// <summary>
/// Everything the server needs to answer for one static file: validators and Content-Type as
/// ready-made field values, and the bytes themselves when the file is small.
/// </summary>
/// <remarks>
/// Immutable except for the verification stamp the cache updates. When <see cref="IsInMemory"/> is
/// false the server streams <see cref="Length"/> bytes from <see cref="OpenRead"/>; if the file
/// ends early (it shrank since), the promised Content-Length cannot be kept and the connection
/// must be closed (RFC 9112 §6.3: the client then sees an incomplete message).
/// </remarks>
internal sealed class StaticFileEntry
{
    // "<hex length>-<hex mtime ticks>" in quotes: at most 2 + 16 + 1 + 16 bytes.
    private const int MaxETagBytes = 35;

    private readonly byte[]? _content;
    private long _verifiedAt;
    private int _verifiedGeneration;

    internal StaticFileEntry(string key, string realPath, long length, long mtimeTicks, DateTime nowUtc, byte[]? content, int generation, long verifiedAt)
    {
        Key = key;
        RealPath = realPath;
        Length = length;
        MtimeTicks = mtimeTicks;
        _content = content;
        _verifiedGeneration = generation;
        _verifiedAt = verifiedAt;
        // By the requested name, as the browser sees it, even when a symlink leads elsewhere.
        ContentType = ContentTypes.ForFileName(key);

        // Strong validator (RFC 9110 §8.8.3): any write changes the mtime, and with it the tag.
        // Full tick precision, so two writes within one second still differ.
        Span<byte> tag = stackalloc byte[MaxETagBytes];
        tag[0] = (byte)'"';
        int n = 1;
        length.TryFormat(tag[n..], out int written, "x", CultureInfo.InvariantCulture);
        n += written;
        tag[n++] = (byte)'-';
        mtimeTicks.TryFormat(tag[n..], out written, "x", CultureInfo.InvariantCulture);
        n += written;
        tag[n++] = (byte)'"';
        ETag = tag[..n].ToArray();

        // RFC 9110 §8.8.2.1: never later than the response's Date, and HTTP dates have one-second precision.
        var modified = new DateTime(Math.Min(mtimeTicks, nowUtc.Ticks), DateTimeKind.Utc);
        LastModifiedUtc = modified.AddTicks(-(modified.Ticks % TimeSpan.TicksPerSecond));
        var date = new byte[HttpDate.Length];
        HttpDate.TryFormat(LastModifiedUtc, date);
        LastModified = date;
    }

    /// <summary>Real path of the file (absolute, symlink-free, inside www-dir).</summary>
    public string RealPath { get; }

    /// <summary>Size in bytes: the Content-Length of a 200.</summary>
    public long Length { get; }

    /// <summary>Last modification, UTC, truncated to the second, never in the future when the entry was made.</summary>
    public DateTime LastModifiedUtc { get; }

    /// <summary>The <c>ETag</c> field value, quotes included.</summary>
    public ReadOnlyMemory<byte> ETag { get; }

    /// <summary>The <c>Last-Modified</c> field value (IMF-fixdate).</summary>
    public ReadOnlyMemory<byte> LastModified { get; }

    /// <summary>The <c>Content-Type</c> field value.</summary>
    public ReadOnlyMemory<byte> ContentType { get; }

    /// <summary>True when <see cref="Content"/> holds the whole file.</summary>
    public bool IsInMemory => _content is not null;

    /// <summary>The file's bytes when <see cref="IsInMemory"/>; empty otherwise.</summary>
    public ReadOnlyMemory<byte> Content => _content;

    /// <summary>The cache key: the normalised request path below www-dir.</summary>
    internal string Key { get; }

    internal long MtimeTicks { get; }

    /// <summary>
    /// Opens the file for streaming (read-only, sharing writers and deletes so that an update of
    /// www-dir is never blocked by a download).
    /// </summary>
    public SafeFileHandle OpenRead() =>
        File.OpenHandle(RealPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);

    internal bool Describes(string realPath, long length, long mtimeTicks) =>
        length == Length && mtimeTicks == MtimeTicks && string.Equals(realPath, RealPath, StringComparison.Ordinal);

    internal bool IsFresh(int generation, long now, long recheckTicks) =>
        Volatile.Read(ref _verifiedGeneration) == generation && now - Volatile.Read(ref _verifiedAt) < recheckTicks;

    internal void MarkVerified(int generation, long now)
    {
        Volatile.Write(ref _verifiedAt, now);
        Volatile.Write(ref _verifiedGeneration, generation);
    }
}
