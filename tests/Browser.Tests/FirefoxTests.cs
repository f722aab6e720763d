using MailerQ.Www.Browser.Tests.LiveSmtp;
using Microsoft.Playwright;

namespace MailerQ.Www.Browser.Tests;

/// <summary>
/// The console in Debian's Firefox ESR (Playwright's <c>moz-firefox</c> channel: WebDriver BiDi, no patched browser
/// download): log in, every page from the menu, a settings change, Live SMTP following a swaks session, the message
/// rendered in the sandboxed frame, log out. Screenshots: firefox-*.png.
/// </summary>
public sealed class FirefoxTests
{
    private const string RenderAgent = "MailerQ-Render-Firefox/1.0";

    private static readonly string[] Pages =
    [
        "Domains", "MTA IPs", "Tags", "Live SMTP", "Logs", "Settings", "Email throttling", "Paused deliveries", "Forced errors",
        "Suppression list", "IP pools", "Local addresses", "DKIM keys", "REST API tokens", "Overview",
    ];

    static FirefoxTests() => Assertions.SetDefaultExpectTimeout(20_000);

    [Fact]
    public async Task Firefox_logs_in_opens_every_page_changes_a_setting_and_logs_out()
    {
        await using var console = await ConsoleSession.StartAsync(firefox: true);
        var page = console.Page;
        await console.LogInAsync();
        await Assertions.Expect(page.Locator(".tile-value").First).Not.ToHaveTextAsync("–");
        await ShotAsync(console, "firefox-overview");

        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        foreach (var title in Pages)
        {
            await menu.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeFocusedAsync();
        }

        // A settings change through a dialog, applied live.
        await menu.GetByRole(AriaRole.Link, new() { Name = "Suppression list", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to suppression list" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Address or domain").FillAsync("gone@example.com");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add to suppression list" }).ClickAsync();
        await Assertions.Expect(page.Locator(".panel-table tbody tr").Filter(new() { HasText = "gone@example.com" })).ToHaveCountAsync(1);
        await ShotAsync(console, "firefox-settings");

        // The running switch pauses everything and resumes.
        await menu.GetByRole(AriaRole.Link, new() { Name = "Overview", Exact = true }).ClickAsync();
        var running = page.GetByRole(AriaRole.Switch, new() { Name = "Running" });
        await running.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status, new() { Name = "Status" })).ToContainTextAsync("1 active pauses");
        await running.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status, new() { Name = "Status" })).ToContainTextAsync("0 active pauses");

        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Firefox_follows_a_live_smtp_session_and_renders_its_message_in_the_sandbox()
    {
        await using var sink = await SinkProcess.StartAsync();
        await using var console = await ConsoleSession.StartAsync(
            $"smtp-sink-address: 127.0.0.1\nsmtp-sink-port: {sink.Port}\nrender-useragent: {RenderAgent}\n", RenderAgent, firefox: true);
        await console.Process.WaitForPortAsync(console.SmtpPort);
        var page = console.Page;
        await console.LogInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Live SMTP", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".live-chip.ok")).ToHaveTextAsync("Live");

        string id = await MailTools.SwaksAsync(console.SmtpPort, MailTools.HtmlWithImage("firefox view"), console.Directory);
        var stream = page.Locator(".transcript");
        await Assertions.Expect(stream.Locator(".line.c", new() { HasText = "MAIL FROM:<a@example.org>" })).Not.ToHaveCountAsync(0);
        await Assertions.Expect(stream.Locator(".line.s", new() { HasText = $"queued as {id}" })).Not.ToHaveCountAsync(0);
        await ShotAsync(console, "firefox-live-smtp");

        await page.Locator($"button[data-message='{id}']").First.ClickAsync();
        var view = page.Locator(".message-view");
        await Assertions.Expect(view.Locator(".mv-headers")).ToContainTextAsync("firefox view");
        await view.GetByRole(AriaRole.Tab, new() { Name = "Raw" }).ClickAsync();
        await Assertions.Expect(view.GetByLabel("Raw MIME")).ToContainTextAsync("Content-Type: multipart/related; boundary=\"R\"");
        await view.GetByRole(AriaRole.Tab, new() { Name = "Rendered" }).ClickAsync();
        await Assertions.Expect(view.Locator("iframe.mv-frame")).ToHaveAttributeAsync("sandbox", "");
        var frame = page.FrameLocator("iframe.mv-frame");
        await Assertions.Expect(frame.GetByText(MailTools.Marker)).ToBeVisibleAsync();
        await Assertions.Expect(frame.Locator("#logo")).ToHaveJSPropertyAsync("naturalWidth", 1);
        await ShotAsync(console, "firefox-message-rendered");
    }

    /// <summary>Firefox draws the sticky header where the page is scrolled to in a full-page shot: scroll to the top first.</summary>
    private static async Task ShotAsync(ConsoleSession console, string name)
    {
        await console.Page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await console.ScreenshotAsync(name);
    }
}
