using BenchmarkDotNet.Attributes;
using MailerQ.Www.Http.StaticFiles;

namespace MailerQ.Www.Bench.Http;

/// <summary>
/// The console's static files: request path → cached entry (percent-decoding, dot-segment checks, the lookup by
/// span and the freshness check), the work before a static response is written. Goal: 0 B per hit.
/// </summary>
[MemoryDiagnoser]
public class StaticFileLookupBenchmarks
{
    private string _root = null!;
    private StaticFileCache _cache = null!;

    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("mq-bench-www-").FullName;
        Directory.CreateDirectory(Path.Combine(_root, "js", "pages"));
        File.WriteAllText(Path.Combine(_root, "index.html"), "<!doctype html><title>MailerQ</title>");
        File.WriteAllText(Path.Combine(_root, "app.js"), new string('x', 4096));
        File.WriteAllText(Path.Combine(_root, "js", "pages", "overview.js"), new string('y', 4096));
        _cache = new StaticFileCache(new StaticPathResolver(_root), watchForChanges: false);
        // Fill the cache, as the first request of each file does.
        Lookup("/app.js"u8);
        Lookup("/"u8);
        Lookup("/js/pages/overview.js"u8);
        Lookup("/js/pages/over%76iew.js"u8);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cache.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private StaticPathStatus Lookup(ReadOnlySpan<byte> path) => _cache.TryGet(path, out _);

    [Benchmark(Description = "hit: /app.js")]
    public int TopLevelFile() => (int)Lookup("/app.js"u8);

    [Benchmark(Description = "hit: / (index.html)")]
    public int Index() => (int)Lookup("/"u8);

    [Benchmark(Description = "hit: /js/pages/overview.js")]
    public int NestedFile() => (int)Lookup("/js/pages/overview.js"u8);

    [Benchmark(Description = "hit: percent-encoded path")]
    public int PercentEncoded() => (int)Lookup("/js/pages/over%76iew.js"u8);

    [Benchmark(Description = "refused: /../etc/passwd")]
    public int Traversal() => (int)Lookup("/../etc/passwd"u8);
}
