using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using MailerQ.Www.Http.StaticFiles;

namespace MailerQ.Www.Http.Tests.StaticFiles;

public sealed class StaticFileCacheTests : IDisposable
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(10);

    private readonly StaticTree _tree = new();
    private readonly ManualTimeProvider _clock = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void Small_file_entry_carries_content_and_ready_made_headers()
    {
        using var cache = NewCache();

        Assert.Equal(StaticPathStatus.Found, cache.TryGet("/app.js"u8, out var entry));

        Assert.True(entry!.IsInMemory);
        Assert.Equal(File.ReadAllBytes(_tree.PathOf("app.js")), entry.Content.ToArray());
        Assert.Equal(entry.Content.Length, entry.Length);
        Assert.Equal("text/javascript; charset=utf-8", Ascii(entry.ContentType));
        Assert.Matches(new Regex("^\"[0-9a-f]+-[0-9a-f]+\"$"), Ascii(entry.ETag));
        Assert.Equal(0, entry.LastModifiedUtc.Ticks % TimeSpan.TicksPerSecond);
        Assert.True(HttpDate.TryParse(entry.LastModified.Span, out var lastModified));
        Assert.Equal(entry.LastModifiedUtc, lastModified);
        var mtime = File.GetLastWriteTimeUtc(_tree.PathOf("app.js"));
        Assert.Equal(mtime.AddTicks(-(mtime.Ticks % TimeSpan.TicksPerSecond)), entry.LastModifiedUtc);
        Assert.Equal(entry.Content.Length, cache.CachedBytes);
    }

    [Fact]
    public void Root_and_index_share_one_entry()
    {
        using var cache = NewCache();

        cache.TryGet("/"u8, out var root);
        cache.TryGet("/index.html"u8, out var index);

        Assert.Same(root, index);
        Assert.Equal(1, cache.Count);
        Assert.Equal("text/html; charset=utf-8", Ascii(root!.ContentType));
    }

    [Fact]
    public void Hit_within_the_recheck_interval_returns_the_same_entry()
    {
        using var cache = NewCache();
        cache.TryGet("/style.css"u8, out var first);
        _clock.Advance(TimeSpan.FromMilliseconds(900));

        cache.TryGet("/style.css"u8, out var second);

        Assert.Same(first, second);
    }

    [Fact]
    public void Cache_hit_allocates_nothing()
    {
        using var cache = NewCache();
        ReadOnlySpan<byte> path = "/sub/nested/deep.txt"u8;
        cache.TryGet(path, out _);
        cache.TryGet(path, out _);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
            cache.TryGet(path, out _);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Conditional_request_evaluation_allocates_nothing()
    {
        using var cache = NewCache();
        cache.TryGet("/app.js"u8, out var entry);
        ReadOnlySpan<byte> ifNoneMatch = "W/\"1-2\", \"3-4\",  W/\"5-6\""u8;
        ReadOnlySpan<byte> ifModifiedSince = "Sun, 06 Nov 1994 08:49:37 GMT"u8;
        bool any = ETagMatcher.IsNotModified(entry!, true, ifNoneMatch, false, default)
            | ETagMatcher.IsNotModified(entry!, false, default, true, ifModifiedSince);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            any |= ETagMatcher.IsNotModified(entry!, true, ifNoneMatch, false, default);
            any |= ETagMatcher.IsNotModified(entry!, false, default, true, ifModifiedSince);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.False(any);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ETag_is_stable_for_an_unchanged_file()
    {
        using var one = NewCache();
        using var two = NewCache();
        one.TryGet("/data.json"u8, out var a);
        _clock.Advance(TimeSpan.FromSeconds(5));
        one.TryGet("/data.json"u8, out var b);
        two.TryGet("/data.json"u8, out var c);

        Assert.Same(a, b);    // re-checked, found unchanged, kept
        Assert.Equal(Ascii(a!.ETag), Ascii(c!.ETag));
        Assert.Equal(Ascii(a.LastModified), Ascii(c.LastModified));
    }

    [Fact]
    public void Change_is_picked_up_by_the_recheck_without_a_watcher()
    {
        using var cache = NewCache();
        cache.TryGet("/data.json"u8, out var before);

        Rewrite("data.json", "{\"v\":2}", TimeSpan.FromSeconds(3));
        cache.TryGet("/data.json"u8, out var trusted);
        _clock.Advance(TimeSpan.FromSeconds(1));
        cache.TryGet("/data.json"u8, out var after);

        Assert.Same(before, trusted);
        Assert.NotEqual(Ascii(before!.ETag), Ascii(after!.ETag));
        Assert.Equal("{\"v\":2}", Encoding.UTF8.GetString(after.Content.Span));
        Assert.Equal(1, cache.Count);
        Assert.Equal(after.Content.Length, cache.CachedBytes);
    }

    [Fact]
    public void Same_length_rewrite_changes_the_etag()
    {
        using var cache = NewCache();
        cache.TryGet("/style.css"u8, out var before);

        Rewrite("style.css", "html{}\n", TimeSpan.FromMilliseconds(1));
        _clock.Advance(TimeSpan.FromSeconds(1));
        cache.TryGet("/style.css"u8, out var after);

        Assert.Equal(before!.Length, after!.Length);
        Assert.NotEqual(Ascii(before.ETag), Ascii(after.ETag));
        Assert.Equal("html{}\n", Encoding.UTF8.GetString(after.Content.Span));
    }

    [Fact]
    public void Change_is_picked_up_by_the_watcher_at_once()
    {
        // Recheck interval of an hour and a frozen clock: only the watcher can invalidate.
        using var cache = NewCache(new StaticFileLimits { RecheckInterval = TimeSpan.FromHours(1) }, watch: true);
        Assert.True(cache.IsWatching);
        cache.TryGet("/sub/page.html"u8, out var before);

        _tree.Write("sub/page.html", "<title>changed by the watcher test</title>");

        var after = PollUntil(cache, "/sub/page.html"u8.ToArray(), e => e is not null && !ReferenceEquals(e, before));
        Assert.Equal("<title>changed by the watcher test</title>", Encoding.UTF8.GetString(after!.Content.Span));
        Assert.NotEqual(Ascii(before!.ETag), Ascii(after.ETag));
    }

    [Fact]
    public void Deleted_file_becomes_not_found_and_leaves_the_cache()
    {
        using var cache = NewCache();
        cache.TryGet("/sub/nested/deep.txt"u8, out _);
        Assert.Equal(1, cache.Count);

        File.Delete(_tree.PathOf("sub/nested/deep.txt"));
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(StaticPathStatus.NotFound, cache.TryGet("/sub/nested/deep.txt"u8, out var entry));
        Assert.Null(entry);
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.CachedBytes);
    }

    [Fact]
    public void Symlink_swapped_to_point_outside_is_refused_after_the_recheck()
    {
        using var cache = NewCache();
        Assert.Equal(StaticPathStatus.Found, cache.TryGet("/inside-link.txt"u8, out _));

        _tree.Link("inside-link.txt", "../outside/canary.txt");
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(StaticPathStatus.NotFound, cache.TryGet("/inside-link.txt"u8, out var entry));
        Assert.Null(entry);
    }

    [Fact]
    public void Large_file_entry_has_no_content_and_streams_from_disk()
    {
        using var cache = NewCache();

        Assert.Equal(StaticPathStatus.Found, cache.TryGet("/big.bin"u8, out var entry));

        Assert.False(entry!.IsInMemory);
        Assert.True(entry.Content.IsEmpty);
        Assert.Equal(StaticTree.BigFileBytes, entry.Length);
        Assert.Equal("application/octet-stream", Ascii(entry.ContentType));
        Assert.Equal(0, cache.CachedBytes);
        using var handle = entry.OpenRead();
        var bytes = new byte[entry.Length];
        Assert.Equal(bytes.Length, RandomAccess.Read(handle, bytes, 0));
        Assert.Equal(_tree.BigContent, bytes);
    }

    [Fact]
    public void File_at_the_in_memory_limit_is_cached_one_byte_more_is_not()
    {
        var limits = new StaticFileLimits { MaxInMemoryFileBytes = 16 };
        _tree.Write("sixteen.txt", new string('x', 16));
        _tree.Write("seventeen.txt", new string('x', 17));
        using var cache = NewCache(limits);

        cache.TryGet("/sixteen.txt"u8, out var atLimit);
        cache.TryGet("/seventeen.txt"u8, out var over);

        Assert.True(atLimit!.IsInMemory);
        Assert.False(over!.IsInMemory);
        Assert.Equal(16, cache.CachedBytes);
    }

    [Fact]
    public void Entry_count_is_bounded_and_overflow_is_served_uncached()
    {
        using var cache = NewCache(new StaticFileLimits { MaxEntries = 2 });

        cache.TryGet("/app.js"u8, out _);
        cache.TryGet("/style.css"u8, out _);
        Assert.Equal(StaticPathStatus.Found, cache.TryGet("/data.json"u8, out var third));

        Assert.Equal(2, cache.Count);
        Assert.False(third!.IsInMemory);
        Assert.Equal(2, third.Length);
    }

    [Fact]
    public void Byte_budget_is_bounded_and_overflow_is_streamed()
    {
        using var cache = NewCache(new StaticFileLimits { MaxCachedBytes = 25 });

        cache.TryGet("/app.js"u8, out var first);    // 20 bytes
        cache.TryGet("/style.css"u8, out var second); // 7 bytes: over budget

        Assert.True(first!.IsInMemory);
        Assert.False(second!.IsInMemory);
        Assert.Equal(20, cache.CachedBytes);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Full_cache_drops_cold_entries_to_make_room()
    {
        using var cache = NewCache(new StaticFileLimits { MaxEntries = 2 });
        cache.TryGet("/app.js"u8, out _);
        cache.TryGet("/style.css"u8, out _);
        _clock.Advance(TimeSpan.FromSeconds(2));

        cache.TryGet("/data.json"u8, out var third);

        Assert.True(third!.IsInMemory);
        Assert.Equal(1, cache.Count);
        Assert.Equal(third.Length, cache.CachedBytes);
    }

    [Fact]
    public void Future_mtime_is_never_sent_as_last_modified()
    {
        File.SetLastWriteTimeUtc(_tree.PathOf("app.js"), DateTime.UtcNow.AddDays(3));
        using var cache = NewCache();

        cache.TryGet("/app.js"u8, out var entry);

        Assert.True(entry!.LastModifiedUtc <= DateTime.UtcNow);
    }

    [Fact]
    public void Concurrent_readers_all_get_correct_content()
    {
        using var cache = NewCache(watch: true);
        byte[][] paths = ["/app.js"u8.ToArray(), "/style.css"u8.ToArray(), "/sub/"u8.ToArray(), "/big.bin"u8.ToArray()];
        string[] files = ["app.js", "style.css", "sub/index.html", "big.bin"];

        Parallel.For(0, 4000, i =>
        {
            Assert.Equal(StaticPathStatus.Found, cache.TryGet(paths[i % 4], out var entry));
            if (entry!.IsInMemory)
                Assert.Equal(File.ReadAllBytes(_tree.PathOf(files[i % 4])), entry.Content.ToArray());
            if (i % 500 == 0)
                _clock.Advance(TimeSpan.FromSeconds(1));
        });

        Assert.Equal(4, cache.Count);
        Assert.Equal(20 + 7 + "<title>sub</title>".Length, cache.CachedBytes);
    }

    private StaticFileCache NewCache(StaticFileLimits? limits = null, bool watch = false) =>
        new(new StaticPathResolver(_tree.Root, limits), _clock, watch);

    // Writes new content and moves the mtime clearly forward, so the test never depends on the
    // file system's timestamp granularity.
    private void Rewrite(string relative, string content, TimeSpan mtimeStep)
    {
        string path = _tree.PathOf(relative);
        var before = File.GetLastWriteTimeUtc(path);
        File.WriteAllText(path, content);
        File.SetLastWriteTimeUtc(path, before + mtimeStep);
    }

    private static StaticFileEntry? PollUntil(StaticFileCache cache, byte[] path, Func<StaticFileEntry?, bool> done)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            cache.TryGet(path, out var entry);
            if (done(entry))
                return entry;
            Assert.True(watch.Elapsed < PollTimeout, "the change was not seen in time");
            Thread.Sleep(20);
        }
    }

    private static string Ascii(ReadOnlyMemory<byte> bytes) => Encoding.ASCII.GetString(bytes.Span);
}
