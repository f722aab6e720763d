using System.Text;
using MailerQ.Www.Http.StaticFiles;

namespace MailerQ.Www.Http.Tests.StaticFiles;

public sealed class StaticPathResolverTests : IClassFixture<StaticTree>, IDisposable
{
    // Expected answers as the status codes the server will send.
    private const int Bad = 400;
    private const int Missing = 404;

    private readonly StaticTree _tree;
    private readonly StaticPathResolver _resolver;
    private readonly StaticFileCache _cache;

    public StaticPathResolverTests(StaticTree tree)
    {
        _tree = tree;
        _resolver = new StaticPathResolver(tree.RootLink);
        _cache = new StaticFileCache(_resolver, watchForChanges: false);
    }

    public void Dispose() => _cache.Dispose();

    /// <summary>
    /// Hostile paths and the answer each gets. Strings are turned into bytes with Latin-1, so
    /// "\u00c0" is the raw byte 0xC0. The canary lives in ../outside relative to the root.
    /// </summary>
    public static TheoryData<string, int> Hostile => new()
    {
        // Plain dot-segments.
        { "/..", Bad },
        { "/../", Bad },
        { "/../outside/canary.txt", Bad },
        { "/sub/../../outside/canary.txt", Bad },
        { "/" + string.Concat(Enumerable.Repeat("../", 100)) + "etc/passwd", Bad },
        { "/.", Bad },
        { "/./", Bad },
        { "/./index.html", Bad },
        { "/sub/.", Bad },
        // Encoded dots, any case, decoded exactly once.
        { "/%2e%2e", Bad },
        { "/%2e", Bad },
        { "/%2e%2e/outside/canary.txt", Bad },
        { "/%2E%2E/outside/canary.txt", Bad },
        { "/%2e./outside/canary.txt", Bad },
        { "/.%2e/outside/canary.txt", Bad },
        { "/%2e%2E%2foutside%2fcanary.txt", Bad },
        // Double encoding: one decode leaves a literal "%2e%2e" segment (here a file, so ENOTDIR).
        { "/%252e%252e/outside/canary.txt", Missing },
        { "/%252e%252e%252foutside%252fcanary.txt", Missing },
        { "/sub/..%252f..%252foutside/canary.txt", Missing },
        // Encoded separators.
        { "/..%2foutside%2fcanary.txt", Bad },
        { "/sub%2f..%2f..%2foutside%2fcanary.txt", Bad },
        { "/%2f%2fetc%2fpasswd", Bad },
        { "/linkdir-out%2fcanary.txt", Bad },
        { "/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd", Bad },
        { "/..%5coutside%5ccanary.txt", Bad },
        { "/%5c..%5coutside", Bad },
        // Backslashes.
        { "/..\\outside\\canary.txt", Bad },
        { "/sub\\..\\..\\outside\\canary.txt", Bad },
        // NUL and other controls, raw or encoded.
        { "/..%00/outside/canary.txt", Bad },
        { "/%00", Bad },
        { "/index.html%00.txt", Bad },
        { "/index.html%00", Bad },
        { "/out-link.txt%00.html", Bad },
        { "/index.html\0", Bad },
        { "/%0d%0aSet-Cookie:%20x=1", Bad },
        { "/%09", Bad },
        { "/%7f", Bad },
        { "/%c2%85", Bad },
        { "/ /../outside", Bad },
        // Absolute and empty segments.
        { "//etc/passwd", Bad },
        { "///etc/passwd", Bad },
        { "/sub//../../outside/canary.txt", Bad },
        { "/....//....//etc/passwd", Bad },
        { "etc/passwd", Bad },
        { "", Bad },
        { "*", Bad },
        // Invalid escapes.
        { "/%zz", Bad },
        { "/%4", Bad },
        { "/%", Bad },
        { "/%%32%65%%32%65/", Bad },
        { "/%u002e%u002e/outside/canary.txt", Bad },
        // Overlong UTF-8 and surrogates, encoded or raw.
        { "/%c0%ae%c0%ae/outside/canary.txt", Bad },
        { "/%c0%af", Bad },
        { "/%e0%80%ae%e0%80%ae/outside/canary.txt", Bad },
        { "/%c1%9c", Bad },
        { "/%ed%a0%80", Bad },
        { "/\u00c0\u00ae\u00c0\u00ae/outside/canary.txt", Bad },
        { "/%ff", Bad },
        // Look-alike dots are just names on Linux.
        { "/%ef%bc%8e%ef%bc%8e/outside/canary.txt", Missing },
        { "/%e2%80%a4%e2%80%a4/outside/canary.txt", Missing },
        { "/%e2%80%a5/outside/canary.txt", Missing },
        // Length.
        { "/" + new string('a', 5000), Bad },
        { "/" + string.Concat(Enumerable.Repeat("../", 1500)), Bad },
        { "/" + new string('a', 300), Missing },
        { "/" + string.Concat(Enumerable.Repeat("%C3%A9", 200)), Missing },
        // Hidden files.
        { "/.git/config", Missing },
        { "/.git/", Missing },
        { "/.env", Missing },
        { "/sub/.hidden", Missing },
        { "/..../etc/passwd", Missing },
        { "/hidden-link.txt", Missing },
        // Symlinks leaving the root.
        { "/out-link.txt", Missing },
        { "/out-abs.txt", Missing },
        { "/linkdir-out/canary.txt", Missing },
        { "/linkdir-out/", Missing },
        { "/chain1.txt", Missing },
        { "/loop", Missing },
        { "/up/outside/canary.txt", Missing },
        { "/up/www/../outside/canary.txt", Bad },
        { "/trick.txt", Missing },
        // A file is no directory.
        { "/index.html/", Missing },
        { "/index.html/x", Missing },
    };

    public static TheoryData<string, string> Legit => new()
    {
        { "/", "index.html" },
        { "/index.html", "index.html" },
        { "/ind%65x.html", "index.html" },
        { "/app.js", "app.js" },
        { "/sub/", "sub/index.html" },
        { "/sub/page.html", "sub/page.html" },
        { "/sub/nested/deep.txt", "sub/nested/deep.txt" },
        { "/%C3%A9t%C3%A9.txt", "été.txt" },
        { "/with%20space.txt", "with space.txt" },
        { "/100%25.txt", "100%.txt" },
        { "/%252e%252e", "%2e%2e" },
        { "/big.bin", "big.bin" },
        { "/inside-link.txt", "sub/page.html" },
        { "/linkdir-in/page.html", "sub/page.html" },
        { "/linkdir-in/", "sub/index.html" },
        { "/ok-via-outside.txt", "index.html" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Hostile_path_is_refused(string path, int expected)
    {
        var status = _resolver.Resolve(Encoding.Latin1.GetBytes(path), out string? real);

        Assert.Equal(expected, Code(status));
        Assert.Null(real);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Hostile_path_never_yields_content_from_the_cache(string path, int expected)
    {
        var status = _cache.TryGet(Encoding.Latin1.GetBytes(path), out var entry);

        Assert.Equal(expected, Code(status));
        Assert.Null(entry);
    }

    [Fact]
    public void Hostile_corpus_is_large_and_never_reads_the_canary_or_secrets()
    {
        Assert.True(Hostile.Count >= 40);
        foreach (var row in Hostile)
        {
            string path = row.Data.Item1;
            if (_cache.TryGet(Encoding.Latin1.GetBytes(path), out var entry) != StaticPathStatus.Found)
                continue;
            string served = Encoding.UTF8.GetString(entry!.IsInMemory ? entry.Content.Span : File.ReadAllBytes(entry.RealPath));
            Assert.DoesNotContain(_tree.Canary, served);
            Assert.DoesNotContain(_tree.Secret, served);
        }
    }

    [Theory]
    [MemberData(nameof(Legit))]
    public void Legit_path_resolves_to_its_real_file(string path, string expectedRelative)
    {
        var status = _resolver.Resolve(Encoding.Latin1.GetBytes(path), out string? real);

        Assert.Equal(StaticPathStatus.Found, status);
        Assert.Equal(Path.Combine(_tree.Root, expectedRelative), real);
        Assert.DoesNotContain(_tree.Canary, File.ReadAllText(real!));
    }

    [Theory]
    [InlineData("/sub")]
    [InlineData("/linkdir-in")]
    [InlineData("/missing.txt")]
    [InlineData("/empty-dir/")]
    [InlineData("/nodir/x.txt")]
    [InlineData("/INDEX.HTML")]
    public void Missing_file_or_directory_without_slash_is_not_found(string path)
    {
        Assert.Equal(StaticPathStatus.NotFound, _resolver.Resolve(Encoding.Latin1.GetBytes(path), out _));
    }

    [Fact]
    public void Root_is_resolved_to_its_real_path_once()
    {
        Assert.Equal(_tree.Root, _resolver.Root);
    }

    [Fact]
    public void Missing_root_is_a_configuration_error()
    {
        Assert.Throws<DirectoryNotFoundException>(() => new StaticPathResolver(Path.Combine(_tree.Base, "nope")));
        Assert.Throws<DirectoryNotFoundException>(() => new StaticPathResolver(Path.Combine(_tree.Outside, "canary.txt")));
    }

    [Fact]
    public void Path_at_the_length_limit_is_checked_not_rejected()
    {
        var limits = new StaticFileLimits { MaxPathBytes = 64 };
        var resolver = new StaticPathResolver(_tree.Root, limits);
        string atLimit = "/" + new string('a', 63);

        Assert.Equal(StaticPathStatus.NotFound, resolver.Resolve(Encoding.ASCII.GetBytes(atLimit), out _));
        Assert.Equal(StaticPathStatus.BadRequest, resolver.Resolve(Encoding.ASCII.GetBytes(atLimit + "a"), out _));
    }

    [Fact]
    public void Long_legit_path_is_decoded_through_rented_buffers()
    {
        string name = new('é', 120);    // 240 UTF-8 bytes: under NAME_MAX, 726 bytes once percent-encoded
        _tree.Write("long/" + name, "long");
        string raw = "/long/" + string.Concat(Encoding.UTF8.GetBytes(name).Select(b => $"%{b:X2}"));
        Assert.True(raw.Length > 512);

        Assert.Equal(StaticPathStatus.Found, _resolver.Resolve(Encoding.ASCII.GetBytes(raw), out string? real));
        Assert.Equal(_tree.PathOf("long/" + name), real);
        Assert.Equal(StaticPathStatus.Found, _cache.TryGet(Encoding.ASCII.GetBytes(raw), out var entry));
        Assert.Equal("long"u8.ToArray(), entry!.Content.ToArray());
    }

    private static int Code(StaticPathStatus status) => status switch
    {
        StaticPathStatus.Found => 200,
        StaticPathStatus.NotFound => 404,
        _ => 400,
    };
}
