using System.Buffers;
using System.Collections.Concurrent;

namespace MailerQ.Www.Http.StaticFiles;

/// <summary>
/// The static-file front: request path in, <see cref="StaticFileEntry"/> out. Small files are kept
/// in memory, large ones are described and streamed by the server.
/// </summary>
/// <remarks>
/// <para>Thread-safe. Keyed by the normalised request path, so a hit needs neither the file system
/// nor an allocation. An entry is trusted for <see cref="StaticFileLimits.RecheckInterval"/>; after
/// that, or after any FileSystemWatcher event under www-dir, the next request re-resolves the path
/// (symlinks included) and re-stats the file, and reloads it only when real path, length or mtime
/// changed. The watcher makes changes visible at once; the recheck bounds staleness when it misses
/// one (inotify queue overflow, watch limit reached, symlinked subdirectories it does not follow).</para>
/// <para>Bounded by <see cref="StaticFileLimits.MaxEntries"/> and <see cref="StaticFileLimits.MaxCachedBytes"/>.
/// When full, entries not confirmed within the recheck interval are dropped (at most once per
/// interval); what still does not fit is served uncached and without content (streamed).</para>
/// <para>A miss reads the small file synchronously: at most 64 KiB, once per change.</para>
/// </remarks>
internal sealed class StaticFileCache : IDisposable
{
    private readonly StaticPathResolver _resolver;
    private readonly StaticFileLimits _limits;
    private readonly TimeProvider _time;
    private readonly long _recheckTicks;
    private readonly ConcurrentDictionary<string, StaticFileEntry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StaticFileEntry>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly FileSystemWatcher? _watcher;
    private int _generation;
    private int _count;
    private long _bytes;
    private long _lastSweep;

    /// <param name="resolver">Maps request paths onto www-dir; its limits bound this cache.</param>
    /// <param name="time">Clock for the recheck interval (tests pass a manual one).</param>
    /// <param name="watchForChanges">Watch www-dir for changes; without it only the recheck interval applies.</param>
    public StaticFileCache(StaticPathResolver resolver, TimeProvider? time = null, bool watchForChanges = true)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        _resolver = resolver;
        _limits = resolver.Limits;
        _time = time ?? TimeProvider.System;
        double ticks = _limits.RecheckInterval.TotalSeconds * _time.TimestampFrequency;
        _recheckTicks = ticks >= long.MaxValue ? long.MaxValue : (long)ticks;
        _lastSweep = _time.GetTimestamp() - _recheckTicks;
        _lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
        if (watchForChanges)
            _watcher = TryWatch(resolver.Root);
    }

    /// <summary>True when a FileSystemWatcher runs on www-dir (false when inotify refused one).</summary>
    public bool IsWatching => _watcher is not null;

    /// <summary>Entries currently cached.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>File bytes currently held in memory.</summary>
    public long CachedBytes => Interlocked.Read(ref _bytes);

    /// <summary>
    /// Maps a raw request path (percent-encoded, starting with '/', without the query) to the entry
    /// to serve. <paramref name="entry"/> is set only for <see cref="StaticPathStatus.Found"/>.
    /// </summary>
    public StaticPathStatus TryGet(ReadOnlySpan<byte> rawPath, out StaticFileEntry? entry)
    {
        entry = null;
        if (rawPath.Length > _limits.MaxPathBytes)
            return StaticPathStatus.BadRequest;

        char[]? rented = null;
        Span<char> buffer = rawPath.Length <= StaticPathResolver.StackPathBytes
            ? stackalloc char[StaticPathResolver.StackPathBytes + StaticPathResolver.IndexFileName.Length]
            : (rented = ArrayPool<char>.Shared.Rent(rawPath.Length + StaticPathResolver.IndexFileName.Length));
        try
        {
            var status = _resolver.Normalize(rawPath, buffer, out int length);
            if (status != StaticPathStatus.Found)
                return status;
            var key = buffer[..length];

            // Generation before any stat: an event that lands after this read makes the entry stale again.
            int generation = Volatile.Read(ref _generation);
            long now = _time.GetTimestamp();
            if (_lookup.TryGetValue(key, out var cached) && cached.IsFresh(generation, now, _recheckTicks))
            {
                entry = cached;
                return StaticPathStatus.Found;
            }
            return Refresh(key, cached, generation, now, out entry);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>Makes every entry re-check its file on next use (e.g. on SIGHUP).</summary>
    public void Invalidate() => Interlocked.Increment(ref _generation);

    public void Dispose() => _watcher?.Dispose();

    private StaticPathStatus Refresh(ReadOnlySpan<char> key, StaticFileEntry? cached, int generation, long now, out StaticFileEntry? entry)
    {
        entry = null;
        var status = _resolver.ResolveRelative(key, out string? realPath, out FileInfo? file);
        if (status != StaticPathStatus.Found)
        {
            if (cached is not null)
                Remove(cached);
            return status;
        }

        long length = file!.Length;
        long mtime = file.LastWriteTimeUtc.Ticks;
        if (cached is not null && cached.Describes(realPath!, length, mtime))
        {
            cached.MarkVerified(generation, now);
            entry = cached;
            return StaticPathStatus.Found;
        }

        bool admit = cached is not null || HasRoomForEntry(generation, now);
        byte[]? content = null;
        bool stable = true;
        if (admit && length <= _limits.MaxInMemoryFileBytes && TryReserve(length, generation, now))
        {
            try
            {
                stable = TryReadWhole(realPath!, length, mtime, out content);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Release(length);
                if (cached is not null)
                    Remove(cached);
                return StaticPathStatus.NotFound;    // gone or unreadable since the stat
            }
            if (!stable)
                Release(length);
        }

        var fresh = new StaticFileEntry(cached?.Key ?? key.ToString(), realPath!, length, mtime, _time.GetUtcNow().UtcDateTime, content, generation, now);
        // A file that changed while being read is served once, streamed, and not remembered.
        bool stored = stable && admit && (cached is not null ? _entries.TryUpdate(cached.Key, fresh, cached) : TryAdd(fresh));
        if (stored && cached is not null)
            Release(cached.Content.Length);
        else if (!stored && content is not null)
            Release(content.Length);
        entry = fresh;
        return StaticPathStatus.Found;
    }

    // Reads the whole file and checks, on the open handle, that it is the version that was stat'ed
    // and that no write happened during the read (else the bytes could mix two versions).
    private static bool TryReadWhole(string realPath, long length, long mtime, out byte[]? content)
    {
        content = null;
        using var handle = File.OpenHandle(realPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (RandomAccess.GetLength(handle) != length || File.GetLastWriteTimeUtc(handle).Ticks != mtime)
            return false;
        var bytes = GC.AllocateUninitializedArray<byte>((int)length);
        int read = 0;
        while (read < bytes.Length)
        {
            int n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
            if (n == 0)
                return false;
            read += n;
        }
        if (RandomAccess.GetLength(handle) != length || File.GetLastWriteTimeUtc(handle).Ticks != mtime)
            return false;
        content = bytes;
        return true;
    }

    private bool HasRoomForEntry(int generation, long now)
    {
        if (Volatile.Read(ref _count) < _limits.MaxEntries)
            return true;
        Sweep(generation, now);
        return Volatile.Read(ref _count) < _limits.MaxEntries;
    }

    private bool TryReserve(long bytes, int generation, long now)
    {
        for (int attempt = 0; attempt < 2; attempt++)
        {
            if (Interlocked.Add(ref _bytes, bytes) <= _limits.MaxCachedBytes)
                return true;
            Interlocked.Add(ref _bytes, -bytes);
            if (attempt == 0)
                Sweep(generation, now);
        }
        return false;
    }

    private void Release(long bytes) => Interlocked.Add(ref _bytes, -bytes);

    private bool TryAdd(StaticFileEntry fresh)
    {
        if (Interlocked.Increment(ref _count) <= _limits.MaxEntries && _entries.TryAdd(fresh.Key, fresh))
            return true;
        Interlocked.Decrement(ref _count);
        return false;
    }

    private void Remove(StaticFileEntry stale)
    {
        // Only this very entry: another thread may already have put a newer one under the key.
        if (_entries.TryRemove(KeyValuePair.Create(stale.Key, stale)))
        {
            Interlocked.Decrement(ref _count);
            Release(stale.Content.Length);
        }
    }

    // Full cache: drop what has not been confirmed within the recheck interval (cold paths, deleted
    // files, everything after a change event). Rate-limited so that a cache full of hot entries
    // costs one pass per interval, not one per miss.
    private void Sweep(int generation, long now)
    {
        long last = Interlocked.Read(ref _lastSweep);
        if (now - last < _recheckTicks || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
            return;
        foreach (var pair in _entries)
        {
            if (!pair.Value.IsFresh(generation, now, _recheckTicks))
                Remove(pair.Value);
        }
    }

    private FileSystemWatcher? TryWatch(string root)
    {
        var watcher = new FileSystemWatcher(root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        // Any event may affect any entry (symlinks make paths alias), so each one just ends the trust in all of them.
        watcher.Changed += OnChange;
        watcher.Created += OnChange;
        watcher.Deleted += OnChange;
        watcher.Renamed += OnChange;
        watcher.Error += OnError;
        try
        {
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            // fs.inotify.max_user_watches / max_user_instances reached: the recheck interval still applies.
            watcher.Dispose();
            return null;
        }
    }

    private void OnChange(object sender, FileSystemEventArgs e) => Invalidate();

    // Queue overflow: events were lost, so trust nothing.
    private void OnError(object sender, ErrorEventArgs e) => Invalidate();
}
