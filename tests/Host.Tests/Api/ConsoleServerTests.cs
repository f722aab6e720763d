using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MailerQ.Www.Console;
using MailerQ.Www.Core.Config;
using MailerQ.Www.Core.Metrics;
using MailerQ.Www.Core.Sessions;

namespace MailerQ.Www.Host.Tests.Api;

/// <summary>
/// The console as an embedding MTA uses it (issue 12): only public types, a real server on 127.0.0.1, sessions and
/// counters recorded from outside the SMTP engine showing up in the console API.
/// </summary>
public sealed class ConsoleServerTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Sessions_and_counters_recorded_by_an_embedder_show_in_the_console_api()
    {
        int port = MailerQProcess.FreePort();
        var options = new ConsoleOptions
        {
            Address = IPAddress.Loopback,
            Port = port,
            Directory = Path.Combine(RepoRoot.Path, "www"),
            Auth = ["hardcoded://ops:pw"],
            DataDirectory = _dir.Path,
        };
        await using var server = new ConsoleServer(options);
        server.Start();
        Assert.Contains(server.EndPoints, e => e.Port == port);

        var session = new SessionRecord(7, "in", new IPEndPoint(IPAddress.Loopback, 40000), DateTimeOffset.UtcNow, server.Sessions.MaxLines, server.Sessions.MaxSessionBytes);
        server.Sessions.Add(session);
        session.AddLine('c', "EHLO client.example");
        session.AddLine('s', "250 ok");
        server.Inbound.Connection();
        server.Overview.Record(OverviewEvent.Delivery, "127.0.0.1", "example.com", []);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:pw")));

        using var list = JsonDocument.Parse(await http.GetStringAsync("api/smtp/sessions"));
        Assert.Equal(7, list.RootElement[0].GetProperty("id").GetInt64());
        using var transcript = JsonDocument.Parse(await http.GetStringAsync("api/smtp/sessions/7"));
        Assert.Contains("EHLO client.example", transcript.RootElement.GetRawText(), StringComparison.Ordinal);
        using var stats = JsonDocument.Parse(await http.GetStringAsync("api/stats"));
        Assert.Equal(1, stats.RootElement.GetProperty("inbound").GetProperty("connections").GetInt64());
        Assert.Equal(1, stats.RootElement.GetProperty("totals").GetProperty("deliveries").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("api/messages/0123456789abcdef0123456789abcdef")).StatusCode);
        Assert.Contains("<html", await http.GetStringAsync("/"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_embedder_that_opens_the_settings_database_gets_the_settings_routes_and_one_without_gets_404()
    {
        int port = MailerQProcess.FreePort();
        var options = new ConsoleOptions
        {
            Address = IPAddress.Loopback,
            Port = port,
            Directory = Path.Combine(RepoRoot.Path, "www"),
            Auth = ["hardcoded://ops:pw"],
            DataDirectory = _dir.Path,
        };
        await using var settings = await MailerQ.Www.Smtp.Settings.SettingsDatabase.OpenAsync($"sqlite://{Path.Combine(_dir.Path, "settings.db")}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:pw")));
        const string throttle = "{\"name\":\"embedded\",\"patterns\":[{\"mta\":\"*\",\"domain\":\"embedded.example\"}],\"domain\":{\"maxActive\":3}}";

        await using (var without = new ConsoleServer(options))
        {
            without.Start();
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("api/throttles")).StatusCode);
        }

        await using (var with = new ConsoleServer(options, settings))
        {
            with.Start();
            var created = await http.PostAsync("api/throttles", new StringContent(throttle, Encoding.UTF8, "application/json"));
            Assert.True(created.IsSuccessStatusCode, $"POST /api/throttles: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
            Assert.Contains("embedded.example", await http.GetStringAsync("api/throttles"), StringComparison.Ordinal);
        }

        Assert.Throws<ArgumentException>(() => MailerQ.Www.Smtp.Settings.SettingsDatabase.OpenAsync("mysql://nowhere").GetAwaiter().GetResult());
    }

    [Fact]
    public async Task The_console_refuses_requests_without_a_login()
    {
        int port = MailerQProcess.FreePort();
        await using var server = new ConsoleServer(new ConsoleOptions
        {
            Address = IPAddress.Loopback,
            Port = port,
            Directory = Path.Combine(RepoRoot.Path, "www"),
            Auth = ["hardcoded://ops:pw"],
        });
        server.Start();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("api/smtp/sessions")).StatusCode);
        Assert.Equal("ok", await http.GetStringAsync("healthz"));
    }

    [Fact]
    public void Options_set_in_code_name_each_property_at_fault()
    {
        var options = new ConsoleOptions { Port = 70000, Directory = Path.Combine(_dir.Path, "missing"), Url = "ftp://x" };
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("ConsoleOptions.Port: www-port:", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConsoleOptions.Url: www-url:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_login_url_the_console_cannot_use_is_refused_naming_its_index()
    {
        var options = new ConsoleOptions { Port = MailerQProcess.FreePort(), Directory = _dir.Path, Auth = ["hardcoded://ops:pw", "nosuch://x"] };
        var error = Assert.Throws<ArgumentException>(() => new ConsoleServer(options));
        Assert.Contains("ConsoleOptions.Auth[1]: www-auth:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_read_from_a_config_file_report_file_and_line()
    {
        var file = _dir.Write("config.txt", $"www-dir: {_dir.Path}\nwww-port: 99999\n");
        var diagnostics = new ConfigDiagnostics();
        var config = ConfigLoader.Load(CommandLine.Parse(["--config-file", file], diagnostics), new Dictionary<string, string>(), null, diagnostics);
        var options = ConsoleOptions.FromConfig(config);
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains($"{file}:2: www-port:", error.Message, StringComparison.Ordinal);
    }
}
