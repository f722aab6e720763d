using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MailerQ.Www.Host.Tests;
using Microsoft.Playwright;

namespace MailerQ.Www.Browser.Tests.LiveSmtp;

/// <summary>
/// Live SMTP and the message view in Chromium against the real program: mail sent with swaks shows up live,
/// its message opens in the four tabs, renders with the configured user agent and is refused with another.
/// </summary>
public sealed class LiveSmtpPageTests
{
    private const string RenderAgent = "MailerQ-Render-Test/1.0";

    static LiveSmtpPageTests() => Assertions.SetDefaultExpectTimeout(20_000);

    private static async Task<ConsoleSession> StartWithSinkAsync(SinkProcess sink, string? userAgent, string extra = "")
    {
        var console = await ConsoleSession.StartAsync(
            $"smtp-sink-address: 127.0.0.1\nsmtp-sink-port: {sink.Port}\nrender-useragent: {RenderAgent}\n{extra}", userAgent);
        await console.Process.WaitForPortAsync(console.SmtpPort);
        return console;
    }

    private static async Task OpenLiveSmtpAsync(ConsoleSession console)
    {
        await console.Page.GetByRole(AriaRole.Link, new() { Name = "Live SMTP", Exact = true }).ClickAsync();
        // The socket is open and subscribed once the chip says so; sessions from now on stream in.
        await Assertions.Expect(console.Page.Locator(".live-chip.ok")).ToHaveTextAsync("Live");
    }

    [Fact]
    public async Task A_session_streams_in_live_and_its_message_opens_raw_html_and_rendered_with_the_configured_user_agent()
    {
        await using var sink = await SinkProcess.StartAsync();
        await using var console = await StartWithSinkAsync(sink, RenderAgent);
        var page = console.Page;
        await console.LogInAsync();
        await OpenLiveSmtpAsync(console);
        await Assertions.Expect(page.Locator(".live-dropped")).ToHaveTextAsync("Dropped frames: 0");

        string id = await MailTools.SwaksAsync(console.SmtpPort, MailTools.HtmlWithImage("live view"), console.Directory);

        // The all-sessions stream shows the client's and the server's lines as they crossed the socket.
        var stream = page.Locator(".transcript");
        await Assertions.Expect(stream.Locator(".line.c", new() { HasText = "MAIL FROM:<a@example.org>" })).Not.ToHaveCountAsync(0);
        await Assertions.Expect(stream.Locator(".line.s", new() { HasText = $"queued as {id}" })).Not.ToHaveCountAsync(0);
        var inbound = page.Locator(".live-sessions tbody tr", new() { Has = page.Locator(".live-dir.in") }).First;
        await Assertions.Expect(inbound).ToContainTextAsync("127.0.0.1");
        await console.ScreenshotAsync("live-smtp-stream");

        // One session's transcript: client lines and server lines told apart.
        await inbound.ClickAsync();
        await Assertions.Expect(page.Locator(".live-transcript-title")).ToContainTextAsync("incoming");
        await Assertions.Expect(stream.Locator(".line.c", new() { HasText = "RCPT TO:<b@example.net>" })).ToHaveCountAsync(1);
        await Assertions.Expect(stream.Locator(".line.s").First).ToContainTextAsync("220");
        await console.ScreenshotAsync("live-smtp-session");

        // Delivery to the sink is an outgoing session on the same page.
        await page.GetByLabel("Direction").SelectOptionAsync("out");
        var outbound = page.Locator(".live-sessions tbody tr").First;
        await Assertions.Expect(outbound.Locator(".live-dir.out")).ToHaveTextAsync("Out");
        await Assertions.Expect(page.Locator(".live-sessions tbody .live-dir.in")).ToHaveCountAsync(0);
        await outbound.ClickAsync();
        await Assertions.Expect(stream.Locator(".line.s").First).ToContainTextAsync("220");
        await Assertions.Expect(stream.Locator(".line.c", new() { HasText = "RCPT TO:<b@example.net>" })).ToHaveCountAsync(1);
        await console.ScreenshotAsync("live-smtp-outgoing");
        await page.GetByLabel("Direction").SelectOptionAsync("all");

        // The message view, from the inbound session's message id.
        await page.Locator($"button[data-message='{id}']").First.ClickAsync();
        var view = page.Locator(".message-view");
        await Assertions.Expect(view.GetByRole(AriaRole.Tab, new() { Name = "Headers" })).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(view.Locator(".mv-headers")).ToContainTextAsync("live view");
        await Assertions.Expect(view.Locator(".mv-tree")).ToContainTextAsync("multipart/related");
        await Assertions.Expect(view.Locator(".mv-tree")).ToContainTextAsync("cid logo@example.org");
        await console.ScreenshotAsync("message-headers");

        await view.GetByRole(AriaRole.Tab, new() { Name = "Raw" }).ClickAsync();
        await Assertions.Expect(view.GetByLabel("Raw MIME")).ToContainTextAsync("Content-Type: multipart/related; boundary=\"R\"");
        await console.ScreenshotAsync("message-raw");

        // Keyboard: the arrow key moves to the next tab.
        await view.GetByRole(AriaRole.Tab, new() { Name = "Raw" }).PressAsync("ArrowRight");
        await Assertions.Expect(view.GetByRole(AriaRole.Tab, new() { Name = "HTML source" })).ToBeFocusedAsync();
        await Assertions.Expect(view.GetByRole(AriaRole.Tabpanel, new() { Name = "HTML source" }).Locator("pre")).ToContainTextAsync("<img id=\"logo\"");
        await Assertions.Expect(view.GetByRole(AriaRole.Tabpanel, new() { Name = "HTML source" }).Locator("pre")).ToContainTextAsync("src=\"cid:logo@example.org\"");
        await console.ScreenshotAsync("message-html-source");

        await view.GetByRole(AriaRole.Tab, new() { Name = "Rendered" }).ClickAsync();
        var frameElement = view.Locator("iframe.mv-frame");
        await Assertions.Expect(frameElement).ToHaveAttributeAsync("sandbox", "");
        var frame = page.FrameLocator("iframe.mv-frame");
        await Assertions.Expect(frame.GetByText(MailTools.Marker)).ToBeVisibleAsync();
        // The cid image loads inside the sandboxed (opaque-origin) frame.
        await Assertions.Expect(frame.Locator("#logo")).ToHaveJSPropertyAsync("naturalWidth", 1);
        await console.ScreenshotAsync("message-rendered");

        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Log in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Another_user_agent_is_told_which_user_agent_render_useragent_requires()
    {
        await using var sink = await SinkProcess.StartAsync();
        await using var console = await StartWithSinkAsync(sink, userAgent: null);
        var page = console.Page;
        string id = await MailTools.SwaksAsync(console.SmtpPort, MailTools.HtmlWithImage("refused"), console.Directory);
        await console.LogInAsync();

        await page.GotoAsync($"{console.BaseUrl}/#/live-smtp?message={id}");
        var view = page.Locator(".message-view");
        await view.GetByRole(AriaRole.Tab, new() { Name = "Rendered" }).ClickAsync();
        var refusal = view.GetByRole(AriaRole.Alert);
        await Assertions.Expect(refusal).ToContainTextAsync("user agent is not allowed");
        await Assertions.Expect(refusal).ToContainTextAsync("render-useragent");
        await Assertions.Expect(refusal).ToContainTextAsync(RenderAgent);
        await Assertions.Expect(view.Locator("iframe")).ToHaveCountAsync(0);
        await console.ScreenshotAsync("message-render-refused");

        // The other tabs do not depend on the user agent.
        await view.GetByRole(AriaRole.Tab, new() { Name = "Raw" }).ClickAsync();
        await Assertions.Expect(view.GetByLabel("Raw MIME")).ToContainTextAsync("Subject: refused");
    }

    [Fact]
    public async Task Pause_freezes_the_page_while_mail_arrives_and_resume_shows_it()
    {
        await using var sink = await SinkProcess.StartAsync();
        await using var console = await StartWithSinkAsync(sink, RenderAgent);
        var page = console.Page;
        await console.LogInAsync();
        await OpenLiveSmtpAsync(console);

        var rows = page.Locator(".live-sessions tbody tr");
        await Assertions.Expect(page.Locator(".live-count")).ToContainTextAsync("session");

        await page.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume" })).ToHaveAttributeAsync("aria-pressed", "true");
        // Counted once paused: the probe connection that waited for the SMTP port may have been drawn just before.
        int before = await rows.CountAsync();
        await MailTools.SwaksAsync(console.SmtpPort, MailTools.HtmlWithImage("while paused"), console.Directory);

        // The trace arrived (the counter moves) but the page stays as it was.
        await Assertions.Expect(page.Locator(".live-paused")).ToContainTextAsync("new lines");
        await Assertions.Expect(page.Locator(".live-paused")).Not.ToContainTextAsync("· 0 new lines");
        Assert.Equal(before, await rows.CountAsync());
        await Assertions.Expect(page.Locator(".transcript .line.c", new() { HasText = "MAIL FROM:<a@example.org>" })).ToHaveCountAsync(0);
        await console.ScreenshotAsync("live-smtp-paused");

        await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Assertions.Expect(page.Locator(".live-paused")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator(".transcript .line.c", new() { HasText = "MAIL FROM:<a@example.org>" })).Not.ToHaveCountAsync(0);
        await Assertions.Expect(rows.Filter(new() { HasText = "a@example.org" }).First).ToBeVisibleAsync();
    }

    /// <summary>
    /// Follows a burst from smtp-source (inbound, aimed at ≥ 200 messages/s for about 5 s) plus the deliveries to the
    /// sink (outbound) and measures from inside the page, while the burst runs: gaps between animation frames, long
    /// tasks, the rows kept, and how long Pause and Resume take from the click to the frame that shows them. The
    /// bounds are generous (a shared 2-core machine): the page must keep its caps and answer a click within 1.5 s.
    /// The numbers go to tests/artifacts/live-smtp-burst.txt (docs/console.md keeps a few runs).
    /// </summary>
    [Fact]
    public async Task A_burst_of_mail_is_followed_with_capped_rows_and_the_page_still_answers()
    {
        await using var sink = await SinkProcess.StartAsync();
        await using var console = await StartWithSinkAsync(sink, RenderAgent);
        var page = console.Page;
        await console.LogInAsync();
        await OpenLiveSmtpAsync(console);
        await page.EvaluateAsync("""
            () => {
              const p = window.__perf = { frames: 0, maxGap: 0, last: performance.now(), longTasks: 0, longTotal: 0, longMax: 0, maxRows: 0, maxLines: 0, clicks: [] };
              const tick = (t) => {
                const gap = t - p.last; if (gap > p.maxGap) p.maxGap = gap; p.last = t; p.frames++;
                if (p.frames % 4 === 0) {
                  p.maxRows = Math.max(p.maxRows, document.querySelectorAll('.live-sessions tbody tr').length);
                  p.maxLines = Math.max(p.maxLines, document.querySelectorAll('.transcript .line').length);
                }
                requestAnimationFrame(tick);
              };
              requestAnimationFrame(tick);
              new PerformanceObserver((list) => { for (const e of list.getEntries()) { p.longTasks++; p.longTotal += e.duration; p.longMax = Math.max(p.longMax, e.duration); } })
                .observe({ type: 'longtask' });
              // Registered after the page's own handler, so the button has already changed when this runs; the time
              // counts from the input event's creation (queueing behind a busy main thread included) to the next frame.
              const button = document.querySelector('.live-pause');
              button.addEventListener('click', (e) => {
                const handled = performance.now();
                requestAnimationFrame(() => p.clicks.push({ label: button.textContent, handlerMs: handled - e.timeStamp, frameMs: performance.now() - e.timeStamp }));
              });
            }
            """);

        const int messages = 1500;
        const int sessions = 40;
        var watch = Stopwatch.StartNew();
        var burst = MailTools.SmtpSourceAsync(console.SmtpPort, messages, sessions, TimeSpan.FromMinutes(3));

        // In the middle of the burst the operator pauses, then resumes (Resume redraws everything kept). A mouse click
        // where the button is, as a person clicks: Playwright's locator click first polls the page for actionability,
        // and on a starved machine those round trips, not the page, took most of the time.
        var pauseButton = page.Locator(".live-pause");
        var box = (await pauseButton.BoundingBoxAsync())!;
        await page.WaitForTimeoutAsync(1500);
        bool pausedDuringBurst = !burst.IsCompleted;
        var clickWatch = Stopwatch.StartNew();
        await page.Mouse.ClickAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await Assertions.Expect(pauseButton).ToHaveAttributeAsync("aria-pressed", "true");
        double pauseSeen = clickWatch.Elapsed.TotalMilliseconds;
        await page.WaitForTimeoutAsync(1500);
        bool resumedDuringBurst = !burst.IsCompleted;
        clickWatch.Restart();
        await page.Mouse.ClickAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await Assertions.Expect(pauseButton).ToHaveAttributeAsync("aria-pressed", "false");
        double resumeSeen = clickWatch.Elapsed.TotalMilliseconds;

        var (exit, output) = await burst;
        watch.Stop();
        Assert.True(exit == 0, output);
        var during = await page.EvaluateAsync<JsonElement>("() => JSON.parse(JSON.stringify(window.__perf))");
        await page.WaitForTimeoutAsync(1000); // let the last frames and the delivery sessions arrive

        var cost = await page.EvaluateAsync<JsonElement>("() => window.__liveSmtp");
        int rows = await page.Locator(".live-sessions tbody tr").CountAsync();
        int lines = await page.Locator(".transcript .line").CountAsync();
        string dropped = await page.Locator(".live-dropped").InnerTextAsync();
        var clicks = during.GetProperty("clicks").EnumerateArray().ToArray();

        double rate = messages / watch.Elapsed.TotalSeconds;
        string ClickText(JsonElement c) => string.Create(CultureInfo.InvariantCulture,
            $"{c.GetProperty("label").GetString()} after {c.GetProperty("handlerMs").GetDouble():F0} ms (handler), {c.GetProperty("frameMs").GetDouble():F0} ms (next frame)");
        string report = string.Create(CultureInfo.InvariantCulture,
            $"smtp-source: {messages} messages over {sessions} parallel sessions in {watch.Elapsed.TotalSeconds:F1} s = {rate:F0} messages/s inbound (plus as many deliveries to smtp-sink)\n" +
            $"during the burst: {during.GetProperty("frames").GetInt32()} animation frames, longest gap {during.GetProperty("maxGap").GetDouble():F0} ms; " +
            $"long tasks (>50 ms): {during.GetProperty("longTasks").GetInt32()}, total {during.GetProperty("longTotal").GetDouble():F0} ms, longest {during.GetProperty("longMax").GetDouble():F0} ms\n" +
            $"clicks in the page (input event to handler / to next frame): {string.Join("; ", clicks.Select(ClickText))}\n" +
            $"clicks seen by the test (mouse click + aria-pressed check): Pause {pauseSeen:F0} ms{(pausedDuringBurst ? "" : " (clicked after the burst)")}, Resume {resumeSeen:F0} ms{(resumedDuringBurst ? "" : " (clicked after the burst)")}\n" +
            $"most rows on screen during the burst: {during.GetProperty("maxRows").GetInt32()} sessions, {during.GetProperty("maxLines").GetInt32()} transcript lines\n" +
            $"page's own work: {cost.GetProperty("traces").GetInt32()} trace frames in {cost.GetProperty("traceMs").GetDouble():F0} ms, {cost.GetProperty("draws").GetInt32()} DOM updates in {cost.GetProperty("drawMs").GetDouble():F0} ms (session table {cost.GetProperty("listMs").GetDouble():F0} ms, row updates {cost.GetProperty("rowsMs").GetDouble():F0} ms, transcript scroll/layout {cost.GetProperty("scrollMs").GetDouble():F0} ms)\n" +
            $"rows kept at the end: {rows}, stream lines kept: {lines}, {dropped}\n" +
            $"machine load average at the end: {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores\n");
        string folder = Path.Combine(RepoRoot.Path, "tests", "artifacts");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "live-smtp-burst.txt"), report);
        TestContext.Current.SendDiagnosticMessage(report);

        // Responsive while following the burst: both clicks answered inside the page within 1.5 s (measured 0.1–0.8 s
        // at load averages of 10–27 on 2 shared cores, where single long tasks reached ~1 s), caps held throughout.
        Assert.Equal(["Resume", "Pause"], clicks.Select(c => c.GetProperty("label").GetString()));
        Assert.All(clicks, c => Assert.InRange(c.GetProperty("frameMs").GetDouble(), 0, 1500));
        Assert.InRange(during.GetProperty("maxRows").GetInt32(), 1, 200);
        Assert.InRange(during.GetProperty("maxLines").GetInt32(), 1, 1000);
        Assert.InRange(rows, 1, 200);
        Assert.InRange(lines, 1, 1000);
        await console.ScreenshotAsync("live-smtp-burst");
    }
}
