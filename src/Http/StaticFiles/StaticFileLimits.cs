namespace MailerQ.Www.Http.StaticFiles;

/// <summary>Bounds of the static-file layer. Each default names its source; setters validate.</summary>
internal sealed class StaticFileLimits
{
    public static StaticFileLimits Default { get; } = new();

    /// <summary>
    /// Longest raw request path (percent-encoded, without the query). 4096 is Linux PATH_MAX
    /// (limits.h): nothing longer could name a file anyway, so it is rejected before any decoding.
    /// </summary>
    public int MaxPathBytes
    {
        get;
        init => field = value is >= 16 and <= 65536 ? value : throw new ArgumentOutOfRangeException(nameof(MaxPathBytes), value, "16..65536");
    } = 4096;

    /// <summary>Files up to this size are kept in memory and sent without reading the disk (1 MiB: every console
    /// asset and typical page images, 32 of them fit the <see cref="MaxCachedBytes"/> budget; larger ones are streamed).</summary>
    public int MaxInMemoryFileBytes
    {
        get;
        init => field = value is >= 0 and <= 16 * 1024 * 1024 ? value : throw new ArgumentOutOfRangeException(nameof(MaxInMemoryFileBytes), value, "0..16 MiB");
    } = 1024 * 1024;

    /// <summary>Most entries the cache holds; paths beyond it are served uncached and streamed.</summary>
    public int MaxEntries
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxEntries), value, ">= 1");
    } = 1000;

    /// <summary>Most file bytes held in memory across all entries (32 MiB: a bound, not a working set; the console is well under 1 MiB).</summary>
    public long MaxCachedBytes
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxCachedBytes), value, ">= 0");
    } = 32L * 1024 * 1024;

    /// <summary>
    /// How long an entry is trusted without a fresh stat. The FileSystemWatcher normally invalidates
    /// sooner; this bounds staleness when it misses an event (inotify overflow, network file systems,
    /// symlinked directories it does not follow). 1 s matches HTTP dates' one-second precision.
    /// </summary>
    public TimeSpan RecheckInterval
    {
        get;
        init => field = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(RecheckInterval), value, ">= 0");
    } = TimeSpan.FromSeconds(1);
}
