using System.Text;

namespace MailerQ.Www.Http.Tests.StaticFiles;

/// <summary>
/// A throw-away www-dir with nested files, hostile and friendly symlinks, and a canary file
/// outside it whose content must never be served.
/// </summary>
/// <remarks>
/// Layout under a fresh temp directory:
/// <c>outside/</c> (canary.txt, index.html = canary, sub/), <c>www/</c> (the root), and
/// <c>www-link → www</c>, through which the resolver is constructed.
/// </remarks>
public sealed class StaticTree : IDisposable
{
    public const int BigFileBytes = 2 * 1024 * 1024;

    public StaticTree()
    {
        Base = Path.Combine(Path.GetTempPath(), "mq-static-" + Guid.NewGuid().ToString("N"));
        Outside = Path.Combine(Base, "outside");
        Root = Path.Combine(Base, "www");
        RootLink = Path.Combine(Base, "www-link");
        Canary = "CANARY " + Guid.NewGuid().ToString("N");
        Secret = "SECRET " + Guid.NewGuid().ToString("N");

        Directory.CreateDirectory(Path.Combine(Outside, "sub"));
        File.WriteAllText(Path.Combine(Outside, "canary.txt"), Canary);
        File.WriteAllText(Path.Combine(Outside, "index.html"), Canary);
        Directory.CreateDirectory(Root);
        Directory.CreateSymbolicLink(RootLink, Root);

        Write("index.html", "<!doctype html><title>root</title>");
        Write("app.js", "export const x = 1;\n");
        Write("style.css", "body{}\n");
        Write("data.json", "{}");
        Write("sub/index.html", "<title>sub</title>");
        Write("sub/page.html", "<title>page</title>");
        Write("sub/nested/deep.txt", "deep");
        Write("été.txt", "unicode name");
        Write("with space.txt", "space");
        Write("100%.txt", "percent");
        Write("%2e%2e", "a file literally named %2e%2e");
        Write(".git/config", Secret);
        Write(".env", Secret);
        Write("sub/.hidden", Secret);
        Directory.CreateDirectory(Path.Combine(Root, "empty-dir"));
        var big = new byte[BigFileBytes];
        new Random(42).NextBytes(big);
        File.WriteAllBytes(Path.Combine(Root, "big.bin"), big);
        BigContent = big;

        // Links that stay inside: allowed.
        Link("inside-link.txt", "sub/page.html");
        Link("linkdir-in", "sub");
        // Leaves through linkdir-out and comes back: open(2) lands on www/index.html.
        Link("ok-via-outside.txt", "linkdir-out/../www/index.html");

        // Links that leave: refused.
        Link("out-link.txt", "../outside/canary.txt");
        Link("out-abs.txt", Path.Combine(Outside, "canary.txt"));
        Link("linkdir-out", "../outside");
        Link("chain1.txt", "chain2.txt");
        Link("chain2.txt", "out-abs.txt");
        Link("loop", "loop");
        Link("up", "..");
        Link("hidden-link.txt", ".git/config");
        // Lexically "www/canary.txt", but open(2) resolves deep → outside/sub, then ".." → outside.
        Link("deep", "../outside/sub");
        Link("trick.txt", "deep/../canary.txt");
    }

    public string Base { get; }
    public string Outside { get; }
    public string Root { get; }
    public string RootLink { get; }
    public string Canary { get; }
    public string Secret { get; }
    public byte[] BigContent { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public void Write(string relative, string content)
    {
        string path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, new UTF8Encoding(false));
    }

    public void Link(string relative, string target)
    {
        string path = PathOf(relative);
        if (File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null)
            File.Delete(path);
        File.CreateSymbolicLink(path, target);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Base, recursive: true);
        }
        catch (IOException)
        {
            // A watcher may still hold the tree for a moment; the temp dir is cleaned by the OS.
        }
    }
}
