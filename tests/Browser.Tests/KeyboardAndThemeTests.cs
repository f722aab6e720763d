using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace MailerQ.Www.Browser.Tests;

/// <summary>
/// The console without a mouse (Tab, Shift+Tab, Enter, Space, Escape only) and in the dark theme that
/// <c>prefers-color-scheme: dark</c> selects. Screenshots: keyboard-*.png, *-dark.png under tests/artifacts/.
/// </summary>
public sealed class KeyboardAndThemeTests
{
    /// <summary>Every entry of the main menu, in order, as app.js builds it.</summary>
    private static readonly (string Route, string Title)[] Menu =
    [
        ("overview", "Overview"), ("domains", "Domains"), ("mta-ips", "MTA IPs"), ("tags", "Tags"), ("live-smtp", "Live SMTP"),
        ("logs", "Logs"), ("settings", "Settings"), ("settings/throttling", "Email throttling"), ("settings/paused", "Paused deliveries"),
        ("settings/forced-errors", "Forced errors"), ("settings/suppressions", "Suppression list"), ("settings/pools", "IP pools"),
        ("settings/local-addresses", "Local addresses"), ("settings/dkim", "DKIM keys"), ("settings/tokens", "REST API tokens"),
    ];

    [Fact]
    public async Task Every_page_is_reached_from_the_menu_by_keyboard_and_its_controls_are_in_the_tab_order()
    {
        await using var console = await ConsoleSession.StartAsync();
        var page = console.Page;

        // Log in with the keyboard: the username field has the focus, Tab to the password, Enter submits.
        await page.GotoAsync(console.BaseUrl + "/");
        await Assertions.Expect(page.Locator("#username")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(ConsoleSession.User);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(ConsoleSession.Password);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeFocusedAsync();

        var report = new List<string>();
        // The Overview is open already (Enter on the current page's link changes nothing): it comes last.
        foreach (var (route, title) in Menu.Skip(1).Append(Menu[0]))
        {
            // The menu comes before the page in the tab order: walk back to the entry, Enter follows it.
            await TabToAsync(page, $"#nav a[data-route=\"{route}\"]", backwards: true);
            await page.Keyboard.PressAsync("Enter");
            var heading = page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 });
            await Assertions.Expect(heading).ToBeFocusedAsync();
            await Assertions.Expect(page.Locator($"#nav a[data-route=\"{route}\"]")).ToHaveAttributeAsync("aria-current", "page");
            await page.WaitForTimeoutAsync(400); // the page's first data

            // Every visible, enabled control of the page is reached by Tab from the heading.
            int controls = await page.EvaluateAsync<int>("""
                () => {
                  let n = 0;
                  for (const e of document.querySelectorAll('#view a[href], #view button, #view input, #view select, #view textarea, #view summary, #view [tabindex]')) {
                    if (e.tabIndex < 0 || e.disabled || e.closest('[hidden], [inert]') || e.getClientRects().length === 0) continue;
                    e.dataset.kb = String(n++);
                  }
                  return n;
                }
                """);
            var seen = new HashSet<string>();
            for (int press = 0; press < controls * 2 + 5 && seen.Count < controls; press++)
            {
                await page.Keyboard.PressAsync("Tab");
                if (await page.EvaluateAsync<string?>("() => document.activeElement?.dataset.kb ?? null") is { } kb) seen.Add(kb);
            }
            string missed = await page.EvaluateAsync<string>("""
                (seen) => [...document.querySelectorAll('#view [data-kb]')].filter((e) => !seen.includes(e.dataset.kb))
                  .map((e) => e.outerHTML.slice(0, 120)).join('\n')
                """, seen.ToArray());
            Assert.True(seen.Count == controls, $"{title}: {controls - seen.Count} of {controls} controls not reached by Tab:\n{missed}");
            report.Add($"{title}: {controls} controls reached by Tab");
            await page.EvaluateAsync("() => document.activeElement?.blur()");
            await heading.FocusAsync();
        }
        await WriteReportAsync("keyboard-walk.txt", report);
    }

    [Fact]
    public async Task Tiles_the_running_switch_dialogs_and_logout_work_with_enter_space_and_escape()
    {
        await using var console = await ConsoleSession.StartAsync();
        var page = console.Page;
        await console.LogInAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeFocusedAsync();

        // A tile's toggle: Space hides its line, Enter shows it again.
        var toggle = page.GetByRole(AriaRole.Button, new() { Name = "Show Deliveries in the chart" });
        await TabToAsync(page, "button[aria-label=\"Show Deliveries in the chart\"]");
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-pressed", "false");
        await Assertions.Expect(page.Locator(".tile[data-stat] >> nth=2")).ToHaveAttributeAsync("data-shown", "false");
        await console.ScreenshotAsync("keyboard-tile-focus");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true");

        // The Running switch: Space pauses everything, Space again resumes.
        var running = page.GetByRole(AriaRole.Switch, new() { Name = "Running" });
        await TabToAsync(page, "input[role=switch]");
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(running).Not.ToBeCheckedAsync();
        await Assertions.Expect(running).ToBeEnabledAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status, new() { Name = "Status" })).ToContainTextAsync("1 active pauses");
        await Assertions.Expect(running).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(running).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status, new() { Name = "Status" })).ToContainTextAsync("0 active pauses");

        // A settings dialog opens with Enter and closes with Escape, giving the focus back.
        await TabToAsync(page, "#nav a[data-route=\"settings/throttling\"]", backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Email throttling", Level = 1 })).ToBeFocusedAsync();
        var create = page.GetByRole(AriaRole.Button, new() { Name = "Create throttle" });
        await TabToAsync(page, "#view button.primary");
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('dialog[open]').contains(document.activeElement)"), "the dialog has the focus");
        await console.ScreenshotAsync("keyboard-dialog");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(create).ToBeFocusedAsync();

        // Log out from the keyboard.
        await TabToAsync(page, "#logout", backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#username")).ToBeFocusedAsync();
    }

    [Theory]
    [InlineData("dark")]
    [InlineData("light")]
    public async Task The_theme_follows_prefers_color_scheme_and_its_text_is_readable(string scheme)
    {
        bool dark = scheme == "dark";
        await using var console = await ConsoleSession.StartAsync(colorScheme: dark ? ColorScheme.Dark : ColorScheme.Light);
        var page = console.Page;
        await console.LogInAsync();
        await Assertions.Expect(page.Locator(".tile-value").First).Not.ToHaveTextAsync("–");

        var lines = new List<string>();
        foreach (var (route, title, shot) in new[] { ("overview", "Overview", $"overview-{scheme}"), ("live-smtp", "Live SMTP", $"live-smtp-{scheme}"), ("settings/throttling", "Email throttling", $"settings-{scheme}") })
        {
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
            await page.WaitForTimeoutAsync(500);
            // WCAG 2 contrast of every text node's colour against the background it sits on (first opaque ancestor).
            var worst = await page.EvaluateAsync<JsonElement>("""
                () => {
                  const rgb = (c) => { const m = c.match(/[\d.]+/g).map(Number); return { r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1 }; };
                  const lum = ({ r, g, b }) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
                  const background = (e) => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.a > 0.5) return c; } return rgb(getComputedStyle(document.documentElement).backgroundColor); };
                  const page = lum(rgb(getComputedStyle(document.body).backgroundColor));
                  let worst = { ratio: 99, text: '' }, checked = 0;
                  const walker = document.createTreeWalker(document.querySelector('#app'), NodeFilter.SHOW_TEXT);
                  for (let n; (n = walker.nextNode());) {
                    const e = n.parentElement;
                    if (!n.textContent.trim() || e.closest('[hidden], svg, canvas') || e.getClientRects().length === 0) continue;
                    const s = getComputedStyle(e);
                    if (s.visibility === 'hidden' || Number(s.opacity) < 0.9) continue;
                    const a = lum(rgb(s.color)), b = lum(background(e));
                    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
                    checked++;
                    if (ratio < worst.ratio) worst = { ratio, text: `${e.tagName.toLowerCase()}.${e.className} "${n.textContent.trim().slice(0, 40)}" ${s.color} on ${getComputedStyle(e).backgroundColor}` };
                  }
                  return { page, checked, ratio: worst.ratio, text: worst.text };
                }
                """);
            double ratio = worst.GetProperty("ratio").GetDouble();
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{title}: {worst.GetProperty("checked").GetInt32()} text nodes, page luminance {worst.GetProperty("page").GetDouble():F3}, lowest contrast {ratio:F2} ({worst.GetProperty("text").GetString()})"));
            // Dark: the page background is near black (light: near white); readable: every text at least WCAG AA for
            // normal text (4.5:1).
            if (dark) Assert.InRange(worst.GetProperty("page").GetDouble(), 0, 0.05);
            else Assert.InRange(worst.GetProperty("page").GetDouble(), 0.8, 1);
            Assert.True(ratio >= 4.5, lines[^1]);
            await console.ScreenshotAsync(shot);
        }
        await WriteReportAsync($"theme-{scheme}.txt", lines);
    }

    private static async Task WriteReportAsync(string name, IEnumerable<string> lines)
    {
        string folder = Path.Combine(MailerQ.Www.Host.Tests.RepoRoot.Path, "tests", "artifacts");
        Directory.CreateDirectory(folder);
        await File.WriteAllLinesAsync(Path.Combine(folder, name), lines);
    }

    /// <summary>Presses Tab (or Shift+Tab) until the focused element matches <paramref name="selector"/>.</summary>
    private static async Task TabToAsync(IPage page, string selector, bool backwards = false)
    {
        for (int i = 0; i < 150; i++)
        {
            if (await page.EvaluateAsync<bool>("(s) => document.activeElement?.matches(s) ?? false", selector)) return;
            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
        }
        string at = await page.EvaluateAsync<string>("() => document.activeElement?.outerHTML.slice(0, 120) ?? 'nothing'");
        Assert.Fail($"{selector} was not reached with {(backwards ? "Shift+Tab" : "Tab")}; the focus is on {at}");
    }
}
