using System.Net.Http;
using MailerQ.Www.Delivery.Tests.Cluster;
using MailerQ.Www.Host.Tests;
using MailerQ.Www.Smtp.Tests;
using Microsoft.Playwright;

namespace MailerQ.Www.Browser.Tests;

/// <summary>
/// The cluster links in the console's header (www/js/cluster.js, docs/cluster.md): two real instances share a
/// private PostgreSQL and find each other over a private RabbitMQ; logged in on one, the operator sees the other in
/// the switcher, picks it, and lands on the other's console logged in without typing a password.
/// </summary>
public sealed class ClusterSwitcherTests
{
    [Fact]
    public async Task The_switcher_lists_the_other_instance_and_opens_its_console_logged_in()
    {
        var postgresStarting = PostgreSqlServer.StartAsync();
        var rabbitStarting = RabbitMqBroker.StartAsync();
        await using var postgres = await postgresStarting;
        await using var rabbit = await rabbitStarting;
        string database = await postgres.CreateDatabaseAsync();
        string exchange = "cluster-" + Guid.NewGuid().ToString("N")[..8];

        // B's console URL names "localhost", A's "127.0.0.1": the browser keeps a cookie per instance as it would for
        // two machines (cookies are per host, not per port).
        await using var a = await Instance.StartAsync("mta-a.test", "127.0.0.1", database, rabbit.Url, exchange);
        await using var b = await Instance.StartAsync("mta-b.test", "localhost", database, rabbit.Url, exchange);

        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1366, Height = 860 } });
        await page.GotoAsync(a.Url + "/");
        await page.GetByLabel("Username").FillAsync(ConsoleSession.User);
        await page.GetByLabel("Password").FillAsync(ConsoleSession.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#current-user")).ToHaveTextAsync(ConsoleSession.User);

        // The other instance appears in the switcher once it has announced itself (every 300 ms here; the page asks every 5 s).
        var switcher = page.GetByLabel("Switch instance");
        await Assertions.Expect(switcher).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(switcher.Locator("option")).ToHaveTextAsync(["mta-a.test (this instance)", "mta-b.test"], new() { Timeout = 30_000 });
        await Assertions.Expect(switcher).ToHaveValueAsync(a.Url);
        await ScreenshotAsync(page, "cluster-switcher");

        await switcher.SelectOptionAsync(new SelectOptionValue { Label = "mta-b.test" });
        await page.WaitForURLAsync(b.Url + "/**", new() { Timeout = 30_000 });
        // On B's console, logged in as the same user, without the login form.
        await Assertions.Expect(page.Locator("#current-user")).ToHaveTextAsync(ConsoleSession.User);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#login")).ToBeHiddenAsync();
        Assert.DoesNotContain("token=", page.Url);
        await Assertions.Expect(switcher.Locator("option")).ToHaveTextAsync(["mta-b.test (this instance)", "mta-a.test"], new() { Timeout = 30_000 });
        await Assertions.Expect(switcher).ToHaveValueAsync(b.Url);
        await ScreenshotAsync(page, "cluster-switched");

        // B's session is B's own: the API answers this browser's cookie there.
        string whoami = await page.EvaluateAsync<string>("async () => (await fetch('/api/whoami', { headers: { 'X-Requested-With': 'XMLHttpRequest' } })).status + ''");
        Assert.Equal("200", whoami);
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        string folder = Path.Combine(RepoRoot.Path, "tests", "artifacts");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png") });
    }

    /// <summary>One out/mailerq of the test cluster on 127.0.0.1, its console known by <c>urlHost</c>.</summary>
    private sealed class Instance : IAsyncDisposable
    {
        private readonly string _dir;
        private readonly MailerQProcess _process;

        private Instance(string dir, MailerQProcess process, string url)
        {
            _dir = dir;
            _process = process;
            Url = url;
        }

        /// <summary>The console's address, also the instance's cluster id (www-url).</summary>
        public string Url { get; }

        public static async Task<Instance> StartAsync(string host, string urlHost, string database, string amqp, string exchange)
        {
            string dir = Directory.CreateTempSubdirectory("mq-cluster-").FullName;
            int http = MailerQProcess.FreePort(), smtp = MailerQProcess.FreePort();
            string url = $"http://{urlHost}:{http}";
            File.WriteAllText(Path.Combine(dir, "config.txt"), $"""
                www-port: {http}
                www-ip: 127.0.0.1
                www-dir: {Path.Combine(RepoRoot.Path, "www")}
                www-auth: hardcoded://{ConsoleSession.User}:{ConsoleSession.Password}
                www-host: {host}
                www-url: {url}
                data-directory: {Path.Combine(dir, "var")}
                smtp-port: {smtp}
                smtp-ip: 127.0.0.1
                database-address: {database}
                cluster-address: {amqp}
                cluster-exchange: {exchange}
                cluster-interval: 300ms
                """);
            var process = MailerQProcess.Start(["--config-file", Path.Combine(dir, "config.txt")], workingDirectory: dir);
            var instance = new Instance(dir, process, url);
            using var http1 = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var until = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                if (process.Process.HasExited) Assert.Fail($"mailerq exited with {process.Process.ExitCode}: {process.Stderr}");
                try
                {
                    using var response = await http1.GetAsync($"http://127.0.0.1:{http}/");
                    return instance;
                }
                catch (HttpRequestException) when (DateTime.UtcNow < until)
                {
                    await Task.Delay(100);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _process.DisposeAsync();
            try
            {
                Directory.Delete(_dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
