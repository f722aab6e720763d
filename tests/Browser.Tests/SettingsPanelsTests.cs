using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MailerQ.Www.Host.Tests;
using Microsoft.Playwright;

namespace MailerQ.Www.Browser.Tests;

/// <summary>
/// The settings panels in the real browser: each one creates, edits and deletes through the UI, and the change is
/// seen through the API (the settings the delivery engine reads). Screenshots go to tests/artifacts/.
/// </summary>
public sealed class SettingsPanelsTests
{
    [Fact]
    public async Task Email_throttling_panel_creates_edits_and_deletes_a_throttle()
    {
        await using var console = await ConsoleSession.StartAsync();
        await console.LogInAsync();
        var page = console.Page;
        await OpenAsync(page, "Email throttling");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create throttle" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Throttle name").FillAsync("gmail");
        await dialog.GetByLabel("Domain 1").FillAsync("gmail.com");
        await dialog.GetByLabel("Priority").FillAsync("10");
        await dialog.GetByRole(AriaRole.Group, new() { Name = "Per domain" }).GetByLabel("Messages per minute").FillAsync("60");
        await dialog.GetByRole(AriaRole.Group, new() { Name = "Per remote IP" }).GetByLabel("Max active connections").FillAsync("0");
        await console.ScreenshotAsync("settings-throttle-editor");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Store throttle" }).ClickAsync();
        await Assertions.Expect(Row(page, "gmail")).ToContainTextAsync("from * to gmail.com");
        await Assertions.Expect(Row(page, "gmail")).ToContainTextAsync("60 msgs/min");

        using var api = Api(console);
        using (var doc = await GetJsonAsync(api, "/api/throttles"))
        {
            var t = Assert.Single(doc.RootElement.EnumerateArray());
            Assert.Equal(10, t.GetProperty("priority").GetInt32());
            Assert.Equal(60, t.GetProperty("domain").GetProperty("messagesPerMinute").GetInt32());
            Assert.Equal(0, t.GetProperty("ip").GetProperty("maxActive").GetInt32());
            Assert.Equal(JsonValueKind.Null, t.GetProperty("ip").GetProperty("messagesPerMinute").ValueKind);
            Assert.Equal("[{\"mta\":\"*\",\"domain\":\"gmail.com\"}]", t.GetProperty("patterns").GetRawText());
        }

        await Row(page, "gmail").GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Group, new() { Name = "Per domain" }).GetByLabel("Messages per minute").FillAsync("30");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add pattern" }).ClickAsync();
        await dialog.GetByLabel("MTA IP or pool 2").FillAsync("192.0.2.7");
        await dialog.GetByLabel("Domain 2").FillAsync("googlemail.com");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(Row(page, "gmail")).ToContainTextAsync("30 msgs/min");
        using (var doc = await GetJsonAsync(api, "/api/throttles"))
        {
            var t = Assert.Single(doc.RootElement.EnumerateArray());
            Assert.Equal(30, t.GetProperty("domain").GetProperty("messagesPerMinute").GetInt32());
            Assert.Equal(2, t.GetProperty("patterns").GetArrayLength());
        }
        await ExpectChangeLoggedAsync(page, "update throttle");

        await DeleteAsync(page, "gmail", "Delete");
        using (var doc = await GetJsonAsync(api, "/api/throttles")) Assert.Equal(0, doc.RootElement.GetArrayLength());
        await ExpectChangeLoggedAsync(page, "delete throttle");
        await console.ScreenshotAsync("settings-throttling");
    }

    [Fact]
    public async Task Paused_deliveries_panel_pauses_edits_searches_and_resumes()
    {
        await using var console = await ConsoleSession.StartAsync();
        await console.LogInAsync();
        var page = console.Page;
        await OpenAsync(page, "Paused deliveries");
        using var api = Api(console);

        await page.GetByRole(AriaRole.Button, new() { Name = "Pause deliveries" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Domain").FillAsync("example.com");
        await dialog.GetByLabel("Tag").FillAsync("newsletter");
        await dialog.GetByLabel("Apply across the cluster").CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Pause deliveries" }).ClickAsync();
        await Assertions.Expect(Row(page, "example.com")).ToContainTextAsync("Cluster");
        using (var doc = await GetJsonAsync(api, "/v1/pauses"))
        {
            var p = Assert.Single(doc.RootElement.EnumerateArray());
            Assert.Equal("example.com", p.GetProperty("domain").GetString());
            Assert.Equal("newsletter", p.GetProperty("tag").GetString());
            Assert.True(p.GetProperty("cluster").GetBoolean());
        }

        // A second pause, then search narrows the list.
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause deliveries" }).ClickAsync();
        await dialog.GetByLabel("MTA IP").FillAsync("192.0.2.1");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Pause deliveries" }).ClickAsync();
        await Assertions.Expect(Row(page, "192.0.2.1")).ToBeVisibleAsync();
        await page.GetByLabel("Search").FillAsync("newsletter");
        await Assertions.Expect(Row(page, "192.0.2.1")).ToHaveCountAsync(0);
        await page.GetByLabel("Search").FillAsync("");

        // Editing the selection moves the pause: the old one is resumed.
        await Row(page, "example.com").GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await dialog.GetByLabel("Domain").FillAsync("example.org");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(Row(page, "example.org")).ToBeVisibleAsync();
        string pauses = await api.GetStringAsync("/v1/pauses");
        Assert.Contains("example.org", pauses);
        Assert.DoesNotContain("example.com", pauses);
        await console.ScreenshotAsync("settings-paused");
        // The same page in the dark theme (prefers-color-scheme), for a person to look at.
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await console.ScreenshotAsync("settings-paused-dark");

        await DeleteAsync(page, "example.org", "Resume");
        await DeleteAsync(page, "192.0.2.1", "Resume");
        Assert.Equal("[]", await api.GetStringAsync("/v1/pauses"));
        await ExpectChangeLoggedAsync(page, "delete pause");
    }

    [Fact]
    public async Task Forced_errors_panel_creates_edits_and_deletes_a_forced_error()
    {
        await using var console = await ConsoleSession.StartAsync();
        await console.LogInAsync();
        var page = console.Page;
        await OpenAsync(page, "Forced errors");
        using var api = Api(console);

        await page.GetByRole(AriaRole.Button, new() { Name = "Create forced error" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("SMTP code").FillAsync("451");
        await dialog.GetByLabel("Extended code").FillAsync("4.7.1");
        await dialog.GetByLabel("Description").FillAsync("Held by the operator");
        await dialog.GetByLabel("Domain").FillAsync("example.net");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create forced error" }).ClickAsync();
        await Assertions.Expect(Row(page, "example.net")).ToContainTextAsync("451 4.7.1");
        using (var doc = await GetJsonAsync(api, "/v1/errors"))
        {
            var e = Assert.Single(doc.RootElement.EnumerateArray());
            Assert.Equal(451, e.GetProperty("code").GetInt32());
            Assert.Equal("Held by the operator", e.GetProperty("description").GetString());
        }

        // The server's validation message reaches the dialog.
        await Row(page, "example.net").GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await dialog.GetByLabel("Extended code").FillAsync("5.x");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("extended must be an enhanced status code");
        await dialog.GetByLabel("SMTP code").FillAsync("550");
        await dialog.GetByLabel("Extended code").FillAsync("5.7.1");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(Row(page, "example.net")).ToContainTextAsync("550 5.7.1");
        Assert.Contains("\"code\":550", await api.GetStringAsync("/v1/errors"));
        await console.ScreenshotAsync("settings-forced-errors");

        await DeleteAsync(page, "example.net", "Delete");
        Assert.Equal("[]", await api.GetStringAsync("/v1/errors"));
    }

    [Fact]
    public async Task Suppression_list_panel_adds_edits_and_removes_an_address()
    {
        await using var console = await ConsoleSession.StartAsync();
        await console.LogInAsync();
        var page = console.Page;
        await OpenAsync(page, "Suppression list");
        using var api = Api(console);

        await page.GetByRole(AriaRole.Button, new() { Name = "Add to suppression list" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Address or domain").FillAsync("gone@example.com");
        await dialog.GetByLabel("Description").FillAsync("Unsubscribed");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add to suppression list" }).ClickAsync();
        await Assertions.Expect(Row(page, "gone@example.com")).ToContainTextAsync("Unsubscribed");

        await Row(page, "gone@example.com").GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await dialog.GetByLabel("SMTP code").FillAsync("550");
        await dialog.GetByLabel("Description").FillAsync("Complained");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(Row(page, "gone@example.com")).ToContainTextAsync("550 Complained");
        using (var doc = await GetJsonAsync(api, "/v1/suppressions"))
        {
            var s = Assert.Single(doc.RootElement.EnumerateArray());
            Assert.Equal("address", s.GetProperty("type").GetString());
            Assert.Equal(550, s.GetProperty("code").GetInt32());
        }
        await console.ScreenshotAsync("settings-suppressions");
        await DeleteAsync(page, "gone@example.com", "Delete");
        Assert.Equal("[]", await api.GetStringAsync("/v1/suppressions"));
    }

    [Fact]
    public async Task Ip_pools_panel_creates_a_pool_with_ips_edits_and_deletes_it()
    {
        await using var console = await ConsoleSession.StartAsync();
        await console.LogInAsync();
        var page = console.Page;
        await OpenAsync(page, "IP pools");
        using var api = Api(console);

        await page.GetByRole(AriaRole.Button, new() { Name = "Create IP pool" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name", new() { Exact = true }).FillAsync("warmup");
        await dialog.GetByLabel("Description").FillAsync("New IPs");
        await dialog.GetByLabel("IP addresses in this pool").FillAsync("192.0.2.10\n192.0.2.11");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create IP pool" }).ClickAsync();
        await Assertions.Expect(Row(page, "warmup")).ToContainTextAsync("192.0.2.10, 192.0.2.11");
        Assert.Equal("[{\"ip\":\"192.0.2.10\",\"name\":\"warmup\"},{\"ip\":\"192.0.2.11\",\"name\":\"warmup\"}]", await api.GetStringAsync("/v1/poolips?name=warmup"));

        await Row(page, "warmup").GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await Assertions.Expect(dialog.GetByLabel("Name", new() { Exact = true })).ToBeDisabledAsync();
        await dialog.GetByLabel("Description").FillAsync("Warming up");
        await dialog.GetByLabel("IP addresses in this pool").FillAsync("192.0.2.11\n192.0.2.12");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(Row(page, "warmup")).ToContainTextAsync("192.0.2.11, 192.0.2.12");
        Assert.Equal("[{\"ip\":\"192.0.2.11\",\"name\":\"warmup\"},{\"ip\":\"192.0.2.12\",\"name\":\"warmup\"}]", await api.GetStringAsync("/v1/poolips?name=warmup"));
        Assert.Contains("Warming up", await api.GetStringAsync("/v1/pools"));
        await ExpectChangeLoggedAsync(page, "delete poolip");
        await console.ScreenshotAsync("settings-pools");

        await DeleteAsync(page, "warmup", "Delete");
        Assert.Equal("[]", await api.GetStringAsync("/v1/pools"));
        Assert.Equal("[]", await api.GetStringAsync("/v1/poolips"));
    }

    [Fact]
    public async Task Local_addresses_panel_adds_edits_and_deletes_a_pattern()
    {
        await using var console = await ConsoleSession.StartAsync();
        await console.LogInAsync();
        var page = console.Page;
        await OpenAsync(page, "Local addresses");
        using var api = Api(console);

        await page.GetByRole(AriaRole.Button, new() { Name = "Add local address" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Address pattern").FillAsync("postmaster@example.com");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add local address" }).ClickAsync();
        await Assertions.Expect(Row(page, "postmaster@example.com")).ToContainTextAsync("Exact");

        await Row(page, "postmaster@example.com").GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await dialog.GetByLabel("Address pattern").FillAsync("*@bounces.example.com");
        await dialog.GetByLabel("Match type").SelectOptionAsync("fnmatch");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(Row(page, "*@bounces.example.com")).ToContainTextAsync("Wildcard");
        using (var doc = await GetJsonAsync(api, "/api/locals"))
        {
            var l = Assert.Single(doc.RootElement.EnumerateArray());
            Assert.Equal("*@bounces.example.com", l.GetProperty("pattern").GetString());
            Assert.Equal("fnmatch", l.GetProperty("type").GetString());
        }
        await console.ScreenshotAsync("settings-local-addresses");
        await DeleteAsync(page, "*@bounces.example.com", "Delete");
        Assert.Equal("[]", await api.GetStringAsync("/api/locals"));

        // Keyboard only: Enter opens the editor with the focus in its first field, Enter stores, Escape cancels.
        await page.GetByRole(AriaRole.Button, new() { Name = "Add local address" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(dialog.GetByLabel("Address pattern")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("abuse@example.com");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(Row(page, "abuse@example.com")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add local address" })).ToBeFocusedAsync();
        await Row(page, "abuse@example.com").GetByRole(AriaRole.Button, new() { Name = "Edit" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        Assert.Contains("abuse@example.com", await api.GetStringAsync("/api/locals"));
    }

    [Fact]
    public async Task A_rest_api_token_is_shown_once_works_with_bearer_and_is_revoked()
    {
        await using var console = await ConsoleSession.StartAsync();
        await console.LogInAsync();
        var page = console.Page;
        await OpenAsync(page, "REST API tokens");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Token name").FillAsync("deploy-bot");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        var secret = page.GetByRole(AriaRole.Dialog).GetByLabel("API token");
        await Assertions.Expect(secret).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^[A-Za-z0-9_-]{43}$"));
        string token = await secret.InputValueAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Copy" })).ToBeVisibleAsync();
        await console.ScreenshotAsync("settings-token-created");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Assertions.Expect(Row(page, "deploy-bot")).ToBeVisibleAsync();
        // Shown once: the list never carries it.
        Assert.DoesNotContain(token, await page.ContentAsync());

        using var bearer = new HttpClient { BaseAddress = new Uri(console.BaseUrl) };
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using (var response = await bearer.GetAsync("/v1/pauses"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("[]", await response.Content.ReadAsStringAsync());
        }
        using (var response = await bearer.PostAsync("/v1/pauses", new StringContent("{\"domain\":\"example.com\"}", Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await DeleteAsync(page, "deploy-bot", "Revoke");
        using (var response = await bearer.GetAsync("/v1/pauses"))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await ExpectChangeLoggedAsync(page, "delete token");
    }

    [Fact]
    public async Task A_dkim_key_is_generated_over_https_with_its_dns_record_given_sign_patterns_and_deleted()
    {
        using var certificates = new CertificateDir();
        int securePort = MailerQProcess.FreePort();
        await using var console = await ConsoleSession.StartAsync(
            $"www-secure-port: {securePort}\nwww-certificate: {certificates.Certificate}\nwww-privatekey: {certificates.Key}\n");
        await console.Process.WaitForPortAsync(securePort);
        // UTC and en-US: the expiry the panel shows (browser time zone) is then known text.
        var context = await console.Browser.NewContextAsync(new() { IgnoreHTTPSErrors = true, ViewportSize = new() { Width = 1366, Height = 860 }, TimezoneId = "UTC", Locale = "en-US" });
        var page = await context.NewPageAsync();
        string https = $"https://127.0.0.1:{securePort}";
        // The plain port redirects to HTTPS: the operator's bookmark still works.
        await page.GotoAsync(console.BaseUrl + "/");
        Assert.StartsWith(https, page.Url);
        await page.GetByLabel("Username").FillAsync(ConsoleSession.User);
        await page.GetByLabel("Password").FillAsync(ConsoleSession.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await OpenAsync(page, "DKIM keys");

        await page.GetByRole(AriaRole.Button, new() { Name = "Create DKIM key" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Domain").FillAsync("example.com");
        await dialog.GetByLabel("Selector").FillAsync("mq2025");
        await Assertions.Expect(dialog.GetByLabel("Generate RSA 2048-bit")).ToBeCheckedAsync();
        await Assertions.Expect(dialog.GetByLabel("Private key (PEM)")).ToBeHiddenAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create DKIM key" }).ClickAsync();

        var record = page.GetByRole(AriaRole.Dialog).GetByLabel("TXT record");
        await Assertions.Expect(record).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]{300,}$"));
        string txt = await record.InputValueAsync();
        await Save(page, "settings-dkim-created");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Assertions.Expect(Row(page, "mq2025")).ToContainTextAsync("RSA 2048");
        await Assertions.Expect(Row(page, "mq2025")).ToContainTextAsync("mq2025._domainkey.example.com");
        await Assertions.Expect(Row(page, "mq2025")).ToContainTextAsync("From domain example.com");

        using var api = Api(https);
        using (var doc = await GetJsonAsync(api, "/api/dkim"))
        {
            var key = Assert.Single(doc.RootElement.EnumerateArray());
            Assert.Equal(txt, key.GetProperty("dns").GetProperty("text").GetString());
            Assert.Equal("rsa-sha256", key.GetProperty("algorithm").GetString());
        }

        // An Ed25519 key, then sign patterns on it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Create DKIM key" }).ClickAsync();
        await dialog.GetByLabel("Domain").FillAsync("example.com");
        await dialog.GetByLabel("Selector").FillAsync("ed1");
        await dialog.GetByLabel("Generate Ed25519").CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create DKIM key" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Row(page, "ed1").GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add sign pattern" }).ClickAsync();
        await dialog.GetByLabel("Match 1").SelectOptionAsync("fnmatch");
        await dialog.GetByLabel("From domain pattern 1").FillAsync("*.example.com");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(Row(page, "ed1")).ToContainTextAsync("wildcard *.example.com");
        await Assertions.Expect(Row(page, "ed1")).ToContainTextAsync("Ed25519");
        using (var doc = await GetJsonAsync(api, "/api/dkim/example.com/ed1"))
            Assert.Equal("[{\"id\":1,\"pattern\":\"*.example.com\",\"type\":\"fnmatch\"}]", doc.RootElement.GetProperty("patterns").GetRawText());

        // The rest of a key is editable too (PATCH): its expiry and priority change, the key and its record stay.
        await Row(page, "ed1").GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await Assertions.Expect(dialog.GetByLabel("Selector")).ToBeDisabledAsync();
        await dialog.GetByLabel("Expires").FillAsync("2099-01-31T12:00");
        await dialog.GetByLabel("Priority").FillAsync("7");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(Row(page, "ed1")).ToContainTextAsync("1/31/2099, 12:00:00 PM");
        await Assertions.Expect(Row(page, "ed1").Locator("td").Nth(4)).ToHaveTextAsync("7");
        await Assertions.Expect(Row(page, "ed1")).ToContainTextAsync("wildcard *.example.com");
        using (var doc = await GetJsonAsync(api, "/api/dkim/example.com/ed1"))
        {
            Assert.Equal("2099-01-31 12:00:00", doc.RootElement.GetProperty("expire").GetString());
            Assert.Equal(7, doc.RootElement.GetProperty("priority").GetInt32());
        }
        await ExpectChangeLoggedAsync(page, "update dkim");
        await Save(page, "settings-dkim");

        await Row(page, "mq2025").GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(confirm).ToContainTextAsync("Delete mq2025._domainkey.example.com?");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(Row(page, "mq2025")).ToHaveCountAsync(0);
        using (var doc = await GetJsonAsync(api, "/api/dkim"))
            Assert.Equal("ed1", Assert.Single(doc.RootElement.EnumerateArray()).GetProperty("selector").GetString());
        await ExpectChangeLoggedAsync(page, "delete dkim");
        await context.CloseAsync();
    }

    [Fact]
    public async Task Over_plain_http_the_dkim_panel_explains_that_keys_are_only_managed_over_https()
    {
        await using var console = await ConsoleSession.StartAsync();
        await console.LogInAsync();
        var page = console.Page;
        await OpenAsync(page, "DKIM keys");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "DKIM keys are only managed over HTTPS" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("HTTPS is off on this instance")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create DKIM key" })).ToHaveCountAsync(0);

        // The refusal is the server's, not only the page's: a generate request from this page is refused too.
        int status = await page.EvaluateAsync<int>("""
            async () => {
              const who = await (await fetch('/api/whoami', { headers: { 'X-Requested-With': 'XMLHttpRequest' } })).json();
              const r = await fetch('/api/dkim', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': who.csrf, 'X-Requested-With': 'XMLHttpRequest' },
                body: JSON.stringify({ domain: 'example.com', selector: 'x', generate: true }) });
              return r.status;
            }
            """);
        Assert.Equal(403, status);
        using var api = Api(console);
        using var response = await api.GetAsync("/api/dkim");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await console.ScreenshotAsync("settings-dkim-plain-http");
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static async Task OpenAsync(IPage page, string panel)
    {
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = panel, Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = panel, Level = 1 })).ToBeVisibleAsync();
    }

    private static ILocator Row(IPage page, string text) =>
        page.Locator(".panel-table tbody tr").Filter(new() { HasText = text });

    /// <summary>Deletes (or resumes, revokes) the row through its button and the confirmation dialog.</summary>
    private static async Task DeleteAsync(IPage page, string rowText, string action)
    {
        await Row(page, rowText).GetByRole(AriaRole.Button, new() { Name = action }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(confirm).ToBeVisibleAsync();
        await confirm.GetByRole(AriaRole.Button, new() { Name = action, Exact = true }).ClickAsync();
        await Assertions.Expect(Row(page, rowText)).ToHaveCountAsync(0);
    }

    /// <summary>The panel's "Recent changes" names the user and the change.</summary>
    private static async Task ExpectChangeLoggedAsync(IPage page, string change)
    {
        var entry = page.GetByRole(AriaRole.Region, new() { Name = "Recent changes" }).Locator("li").Filter(new() { HasText = change }).First;
        await Assertions.Expect(entry).ToContainTextAsync(ConsoleSession.User);
    }

    private static HttpClient Api(ConsoleSession console) => Api(console.BaseUrl);

    private static HttpClient Api(string baseUrl)
    {
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        var client = new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ConsoleSession.User}:{ConsoleSession.Password}")));
        return client;
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient api, string path) => JsonDocument.Parse(await api.GetStringAsync(path));

    private static async Task Save(IPage page, string name)
    {
        string folder = Path.Combine(RepoRoot.Path, "tests", "artifacts");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    /// <summary>A self-signed certificate and key made with openssl, as an operator would for www-certificate.</summary>
    private sealed class CertificateDir : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("mq-cert-").FullName;

        public CertificateDir()
        {
            var psi = new System.Diagnostics.ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = _dir };
            foreach (var a in new[] { "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.crt", "-subj", "/CN=127.0.0.1", "-days", "2" })
                psi.ArgumentList.Add(a);
            using var p = System.Diagnostics.Process.Start(psi)!;
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
        }

        public string Certificate => Path.Combine(_dir, "server.crt");
        public string Key => Path.Combine(_dir, "server.key");

        public void Dispose()
        {
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
