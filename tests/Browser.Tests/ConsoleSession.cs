using System.Net;
using MailerQ.Www.Host.Tests;
using Microsoft.Playwright;

namespace MailerQ.Www.Browser.Tests;

/// <summary>
/// A real console for one test: out/mailerq started with a private config (console and SMTP on free loopback
/// ports, a Postfix smtp-sink as the delivery target when asked) and Debian's Chromium driven by Playwright
/// (no browser download: ExecutablePath points at /usr/bin/chromium) — or Debian's Firefox ESR, which Playwright
/// drives over WebDriver BiDi (channel <c>moz-firefox</c>; its own patched Firefox cannot be downloaded here).
/// </summary>
internal sealed class ConsoleSession : IAsyncDisposable
{
    public const string User = "operator";
    public const string Password = "console-test-pw";

    private readonly List<IAsyncDisposable> _owned = [];

    private ConsoleSession(string dir, MailerQProcess process, int httpPort, int smtpPort, IPlaywright playwright, IBrowser browser, IPage page)
    {
        Directory = dir;
        Process = process;
        HttpPort = httpPort;
        SmtpPort = smtpPort;
        Playwright = playwright;
        Browser = browser;
        Page = page;
    }

    public string Directory { get; }
    public MailerQProcess Process { get; }
    public int HttpPort { get; }
    public int SmtpPort { get; }
    public IPlaywright Playwright { get; }
    public IBrowser Browser { get; }
    public IPage Page { get; }
    public string BaseUrl => $"http://127.0.0.1:{HttpPort}";

    /// <param name="extraConfig">More `key: value` lines (e.g. smtp-sink-address, render-useragent).</param>
    /// <param name="firefox">Drive /usr/bin/firefox-esr instead of Chromium.</param>
    /// <param name="colorScheme">The <c>prefers-color-scheme</c> the page sees (light unless told).</param>
    public static async Task<ConsoleSession> StartAsync(string extraConfig = "", string? userAgent = null, bool firefox = false, ColorScheme? colorScheme = null)
    {
        string dir = System.IO.Directory.CreateTempSubdirectory("mq-browser-").FullName;
        int http = MailerQProcess.FreePort();
        int smtp = MailerQProcess.FreePort();
        File.WriteAllText(Path.Combine(dir, "config.txt"), $"""
            www-port: {http}
            www-ip: 127.0.0.1
            www-dir: {Path.Combine(RepoRoot.Path, "www")}
            www-auth: hardcoded://{User}:{Password}
            data-directory: {Path.Combine(dir, "var")}
            smtp-port: {smtp}
            smtp-ip: 127.0.0.1
            {extraConfig}
            """);
        var process = MailerQProcess.Start(["--config-file", Path.Combine(dir, "config.txt")], workingDirectory: dir);
        await process.WaitForPortAsync(http);
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = firefox
            ? await playwright.Firefox.LaunchAsync(new() { Channel = "moz-firefox", ExecutablePath = "/usr/bin/firefox-esr", Headless = true })
            : await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox"],
            });
        var context = await browser.NewContextAsync(new() { UserAgent = userAgent, ViewportSize = new() { Width = 1366, Height = 860 }, ColorScheme = colorScheme ?? ColorScheme.Light });
        var page = await context.NewPageAsync();
        return new ConsoleSession(dir, process, http, smtp, playwright, browser, page);
    }

    /// <summary>Opens the console and logs in through the form, as a person would.</summary>
    public async Task LogInAsync()
    {
        await Page.GotoAsync(BaseUrl + "/");
        await Page.GetByLabel("Username").FillAsync(User);
        await Page.GetByLabel("Password").FillAsync(Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).WaitForAsync();
    }

    /// <summary>Saves a screenshot a person can look at: tests/artifacts/&lt;name&gt;.png (git-ignored).</summary>
    public async Task ScreenshotAsync(string name)
    {
        string folder = Path.Combine(RepoRoot.Path, "tests", "artifacts");
        System.IO.Directory.CreateDirectory(folder);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    public void Own(IAsyncDisposable disposable) => _owned.Add(disposable);

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
            await owned.DisposeAsync();
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await Process.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
