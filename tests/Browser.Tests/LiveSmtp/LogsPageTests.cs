using Microsoft.Playwright;

namespace MailerQ.Www.Browser.Tests.LiveSmtp;

/// <summary>The Logs page in Chromium: a delivery to a private smtp-sink shows up in the send log, and the filters narrow it.</summary>
public sealed class LogsPageTests
{
    static LogsPageTests() => Assertions.SetDefaultExpectTimeout(20_000);

    [Fact]
    public async Task The_send_log_shows_the_delivery_and_the_filters_narrow_it()
    {
        await using var sink = await SinkProcess.StartAsync();
        await using var console = await ConsoleSession.StartAsync($"smtp-sink-address: 127.0.0.1\nsmtp-sink-port: {sink.Port}");
        await console.Process.WaitForPortAsync(console.SmtpPort);
        var page = console.Page;
        await console.LogInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Logs", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".logs-status")).ToContainTextAsync("No send log entries yet");

        await MailTools.SwaksAsync(console.SmtpPort, MailTools.HtmlWithImage("for the log"), console.Directory, to: "b@example.net");
        await MailTools.SwaksAsync(console.SmtpPort, MailTools.HtmlWithImage("for the log"), console.Directory, to: "c@example.com");

        // "Follow" is on: the deliveries appear without a reload.
        var rows = page.Locator(".logs-table tbody tr");
        var first = rows.Filter(new() { HasText = "b@example.net" });
        await Assertions.Expect(first).ToHaveCountAsync(1);
        await Assertions.Expect(first.Locator(".logs-result")).ToHaveTextAsync("delivered");
        await Assertions.Expect(first).ToContainTextAsync("250");
        await Assertions.Expect(rows.Filter(new() { HasText = "c@example.com" })).ToHaveCountAsync(1);
        await console.ScreenshotAsync("logs-delivered");

        await page.GetByLabel("Domain").FillAsync("example.com");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("c@example.com");

        await page.GetByLabel("Domain").FillAsync("");
        await page.GetByLabel("Result").SelectOptionAsync("failed");
        await Assertions.Expect(page.Locator(".logs-status")).ToContainTextAsync("No send log entries match");

        await page.GetByLabel("Result").SelectOptionAsync("");
        await page.GetByLabel("Search").FillAsync("b@example.net");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await console.ScreenshotAsync("logs-filtered");

        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log in" })).ToBeVisibleAsync();
    }
}
