using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

namespace MailerQ.Www.Browser.Tests;

/// <summary>
/// The Overview in Chromium against the real program delivering to a Postfix smtp-sink: tiles and chart move
/// with mail, a throttle shows as the new rate, and the Running switch stops and resumes a domain's delivery.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class OverviewPageTests
{
    private static ILocator Tile(IPage page, string key) => page.Locator($"article.tile[data-stat='{key}'] .tile-value");

    private static async Task<long> TileValueAsync(IPage page, string key)
    {
        string text = (await Tile(page, key).TextContentAsync() ?? "").Replace(",", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Replace("\u202f", "", StringComparison.Ordinal);
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : -1;
    }

    private static async Task WaitForTileAsync(IPage page, string key, Func<long, bool> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        long last;
        while (!condition(last = await TileValueAsync(page, key)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"tile {key} stayed at {last}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Tiles_and_chart_follow_delivered_mail_and_lines_toggle_from_the_tiles()
    {
        await using var sink = await DeliverySink.StartAsync();
        await using var console = await ConsoleSession.StartAsync(sink.Config);
        var page = console.Page;

        // Logged in → tiles with numbers and a drawn chart: the dashboard is usable. Measured, not asserted.
        await page.GotoAsync(console.BaseUrl + "/");
        await page.GetByLabel("Username").FillAsync(ConsoleSession.User);
        await page.GetByLabel("Password").FillAsync(ConsoleSession.Password);
        var clock = Stopwatch.StartNew();
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Assertions.Expect(Tile(page, "deliveries")).ToHaveTextAsync("0");
        await page.Locator(".chart-plot canvas").WaitForAsync();
        clock.Stop();
        // The page's own marks (performance timeline) time it without Playwright's polling in between.
        await page.WaitForFunctionAsync("performance.getEntriesByName('mq-dashboard-ready').length > 0");
        double inPage = await page.EvaluateAsync<double>(
            "performance.getEntriesByName('mq-dashboard-ready')[0].startTime - performance.getEntriesByName('mq-login')[0].startTime");
        ReportTiming(inPage, clock.Elapsed);

        await OverviewMail.SendAsync(console, "someone@example.net", count: 5);
        await sink.WaitForAsync(5);
        await WaitForTileAsync(page, "deliveries", n => n >= 5);
        await WaitForTileAsync(page, "attempts", n => n >= 5);
        Assert.True(await TileValueAsync(page, "connects") >= 1);
        // The queue and inbound panels read /api/stats as well.
        await Assertions.Expect(page.Locator("dd[data-queue='outbox']")).ToBeVisibleAsync();

        // Clicking a tile hides its line in the chart (uPlot marks the legend entry off); clicking again shows it.
        var errors = page.Locator("article.tile[data-stat='errors']");
        await errors.ClickAsync();
        await Assertions.Expect(errors.GetByRole(AriaRole.Button)).ToHaveAttributeAsync("aria-pressed", "false");
        await Assertions.Expect(page.Locator(".u-legend .u-series.u-off")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".u-legend .u-series.u-off")).ToContainTextAsync("Errors");
        await console.ScreenshotAsync("overview-live");
        // Keyboard: the tile's button toggles too.
        await errors.GetByRole(AriaRole.Button).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".u-legend .u-series.u-off")).ToHaveCountAsync(0);

        // Dark theme by prefers-color-scheme: the chart is redrawn in the theme's colours.
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await page.Locator(".chart-plot canvas").WaitForAsync();
        Assert.Equal("rgb(18, 21, 27)", await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
        await console.ScreenshotAsync("overview-dark");
    }

    [Fact]
    public async Task A_domain_throttle_set_through_the_api_shows_as_the_new_rate_on_the_overview()
    {
        await using var sink = await DeliverySink.StartAsync();
        await using var console = await ConsoleSession.StartAsync(sink.Config);
        using var api = OverviewMail.Api(console);
        var page = console.Page;
        await console.LogInAsync();

        // Unthrottled first: ten messages are delivered at once.
        await OverviewMail.SendAsync(console, "a@slow.example", count: 10);
        await sink.WaitForAsync(10);
        await page.GotoAsync(console.BaseUrl + "/#/overview?domain=slow.example");
        await WaitForTileAsync(page, "deliveries", n => n == 10);

        // 60 per minute = one message a second (even spacing, docs/delivery.md).
        await OverviewMail.PostJsonAsync(api, "/api/throttles",
            """{"name":"slow down","patterns":[{"mta":"*","domain":"slow.example"}],"domain":{"messagesPerMinute":60}}""");
        await OverviewMail.SendAsync(console, "b@slow.example", count: 8);

        // The tile climbs one by one instead of jumping by eight: several values in between are seen.
        var seen = new SortedSet<long>();
        var deadline = DateTime.UtcNow.AddSeconds(40);
        long value;
        while ((value = await TileValueAsync(page, "deliveries")) < 18)
        {
            Assert.True(DateTime.UtcNow < deadline, $"deliveries stayed at {value}");
            if (value > 10) seen.Add(value);
            await Task.Delay(150);
        }
        Assert.True(seen.Count >= 3, $"values between 10 and 18 seen: {string.Join(",", seen)}");
        await console.ScreenshotAsync("overview-throttled");

        // The domain's page shows the throttle with messages per minute as the limiting value.
        await page.GotoAsync(console.BaseUrl + "/#/domains/slow.example");
        var row = page.Locator("tr[data-limit='domainMessagesPerMinute']");
        await Assertions.Expect(row).ToContainTextAsync("60");
        await Assertions.Expect(row).ToContainTextAsync("slow down");
        await Assertions.Expect(row).ToHaveClassAsync("limiting");
        await Assertions.Expect(page.Locator("tr[data-ip='127.0.0.1']")).ToBeVisibleAsync();
        await console.ScreenshotAsync("domain-throttled");
    }

    [Fact]
    public async Task The_running_switch_pauses_a_domain_and_resuming_delivers_the_held_mail()
    {
        await using var sink = await DeliverySink.StartAsync();
        await using var console = await ConsoleSession.StartAsync(sink.Config);
        var page = console.Page;
        await console.LogInAsync();
        await OverviewMail.SendAsync(console, "first@hold.example");
        await sink.WaitForAsync(1);

        await page.GotoAsync(console.BaseUrl + "/#/overview?domain=hold.example");
        await Assertions.Expect(page.Locator("#filter-domain")).ToHaveValueAsync("hold.example");
        await WaitForTileAsync(page, "deliveries", n => n == 1);
        var running = page.GetByRole(AriaRole.Switch, new() { Name = "Running" });
        await Assertions.Expect(running).ToBeCheckedAsync();

        await running.UncheckAsync();
        await Assertions.Expect(page.Locator(".statusbar")).ToContainTextAsync("1 active pauses");
        await OverviewMail.SendAsync(console, "held@hold.example", count: 4);
        // Held: the engine parks the four; none reaches the sink while paused.
        await Assertions.Expect(page.Locator(".statusbar")).ToContainTextAsync("4 messages parked");
        Assert.Equal(1, sink.Count);
        Assert.Equal(1, await TileValueAsync(page, "deliveries"));
        await Assertions.Expect(running).Not.ToBeCheckedAsync();
        await console.ScreenshotAsync("overview-paused");

        await running.CheckAsync();
        await sink.WaitForAsync(5);
        await WaitForTileAsync(page, "deliveries", n => n == 5);
        await Assertions.Expect(page.Locator(".statusbar")).ToContainTextAsync("0 active pauses");
        await console.ScreenshotAsync("overview-resumed");
    }

    private static void ReportTiming(double inPageMs, TimeSpan observed)
    {
        string line = $"dashboard usable {inPageMs:F0} ms after Log in was pressed (page marks: tiles with numbers and chart drawn; loopback); " +
            $"{observed.TotalMilliseconds:F0} ms as the test observed it (includes Playwright's polling)";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        string folder = Path.Combine(MailerQ.Www.Host.Tests.RepoRoot.Path, "tests", "artifacts");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "overview-timing.txt"), line + "\n");
    }
}
