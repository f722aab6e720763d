using Microsoft.Playwright;

namespace MailerQ.Www.Browser.Tests;

/// <summary>The Domains, MTA IPs and Tags pages in Chromium: live lists, item pages, rename, a remote IP's switch.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ListPagesTests
{
    [Fact]
    public async Task Lists_show_delivered_domains_ips_and_tags_and_lead_to_their_pages()
    {
        await using var sink = await DeliverySink.StartAsync();
        await using var console = await ConsoleSession.StartAsync(sink.Config);
        var page = console.Page;
        await console.LogInAsync();
        await OverviewMail.SendAsync(console, "x@pages.example", count: 3, tag: "autumn");
        await sink.WaitForAsync(3);

        // Domains: the list refreshes by itself; the domain's row links to its page with the remote IP.
        await page.GetByRole(AriaRole.Link, new() { Name = "Domains", Exact = true }).ClickAsync();
        var row = page.Locator("tr[data-name='pages.example']");
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("3"); // Deliveries
        await console.ScreenshotAsync("domains-list");
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("pages.example");
        await Assertions.Expect(page.Locator("tr[data-ip='127.0.0.1']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("tr[data-limit='domainMaxActive']")).ToContainTextAsync("20");

        // A remote IP's switch pauses that IP (MailerQ: for every domain) and resumes it.
        var remote = page.GetByRole(AriaRole.Switch, new() { Name = "Running 127.0.0.1" });
        using var api = OverviewMail.Api(console);
        await remote.UncheckAsync();
        await WaitForPausesAsync(api, pauses => pauses.Contains("\"ip\":\"127.0.0.1\"", StringComparison.Ordinal));
        await Assertions.Expect(remote).ToBeEnabledAsync(); // the switch is disabled while its request runs
        await console.ScreenshotAsync("domain-remote-ip-paused");
        await remote.CheckAsync();
        await WaitForPausesAsync(api, pauses => pauses == "[]");

        // MTA IPs: rename gives the IP a display name shown in the list.
        await page.GotoAsync(console.BaseUrl + "/#/mta-ips/127.0.0.1");
        await page.GetByLabel("Display name").FillAsync("Loopback sender");
        // Typed before the page's data arrived: the late first load must not wipe it (it did, and Rename then
        // removed the name — a CI failure on 2026-11-27).
        await Assertions.Expect(page.GetByText("Messages on hand")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Display name")).ToHaveValueAsync("Loopback sender");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rename" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Saved: Loopback sender")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "MTA IPs", Exact = true }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Loopback sender (127.0.0.1)" })).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await console.ScreenshotAsync("mta-ips-list");

        // Tags: the tag of the mail, and its page with its own Running switch.
        await page.GetByRole(AriaRole.Link, new() { Name = "Tags", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "autumn" }).ClickAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Switch, new() { Name = "Running" })).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("article.tile[data-stat='deliveries'] .tile-value")).ToHaveTextAsync("3");
        await console.ScreenshotAsync("tag-page");
    }

    /// <summary>The switch answers before its request does; the pause list is what the server holds.</summary>
    private static async Task WaitForPausesAsync(System.Net.Http.HttpClient api, Func<string, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string pauses;
        while (!condition(pauses = await api.GetStringAsync("/v1/pauses")))
        {
            Assert.True(DateTime.UtcNow < deadline, $"pauses: {pauses}");
            await Task.Delay(100);
        }
    }
}
