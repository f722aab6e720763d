using System.Net.Http;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace MailerQ.Www.Host.Tests.Cluster;

/// <summary>
/// Several real <c>out/mailerq</c> instances on one private PostgreSQL and one private RabbitMQ (issue 11 "Tests that
/// must exist"): they find each other, a change made on one applies on all, a stopped one turns stale, the switch
/// token works once and only on its target, and instances started together migrate the database once.
/// </summary>
[Collection("cluster")]
public sealed class ClusterProgramTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private const string FastAnnounce = "cluster-interval: 300ms\n";

    private async Task<ClusterInstance[]> StartThreeAsync(string exchange, string database)
    {
        var instances = new[] { "A", "B", "C" }
            .Select(n => ClusterInstance.Create(n, database, fixture.Rabbit.Url, exchange, FastAnnounce)).ToArray();
        try
        {
            // One after the other here (the concurrent start has its own test): a clean start each.
            foreach (var i in instances) await i.StartAsync();
            foreach (var i in instances)
                await ClusterInstance.WaitForAsync(async () => (await i.ClusterAsync()).Count(e => !e.Value.GetProperty("stale").GetBoolean()) == 3,
                    TimeSpan.FromSeconds(20), $"{i.Name} to list all three instances");
            return instances;
        }
        catch
        {
            foreach (var i in instances) await i.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task Three_instances_list_each_other_share_changes_within_a_second_and_a_stopped_one_turns_stale()
    {
        string exchange = ClusterFixture.NewExchange();
        var all = await StartThreeAsync(exchange, await fixture.Postgres.CreateDatabaseAsync());
        var (a, b, c) = (all[0], all[1], all[2]);
        try
        {
            // Each lists the others with their console URL, and itself first with its health.
            foreach (var i in all)
            {
                var list = await i.GetJsonAsync("/api/cluster");
                var self = list[0];
                Assert.True(self.GetProperty("self").GetBoolean());
                Assert.Equal(i.Url, self.GetProperty("url").GetString());
                Assert.Equal("ok", self.GetProperty("health").GetString());
                Assert.Equal("up", self.GetProperty("database").GetString());
                Assert.Equal("up", self.GetProperty("broker").GetString());
                Assert.Equal(all.Select(x => x.Url).Order(), list.EnumerateArray().Select(e => e.GetProperty("url").GetString()!).Order());
            }

            // mailerq --list-cluster prints the instances that answer within cluster-timeout.
            var (code, stdout, stderr) = await MailerQProcess.RunAsync(["--config-file", a.Config, "--list-cluster", "--cluster-timeout=1"]);
            Assert.True(code == 0, stderr);
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(3, lines.Length);
            foreach (var i in all) Assert.Contains(lines, l => l.Split('\t')[1] == i.Url);

            // A throttle made on A is in force on B within a second of A's answer.
            var (status, body) = await a.SendAsync(HttpMethod.Post, "/api/throttles",
                """{"name":"slow-example","priority":1,"patterns":[{"mta":"*","domain":"slow.example"}],"domain":{"messagesPerMinute":7}}""");
            Assert.True(status == HttpStatusCode.OK || status == HttpStatusCode.Created, body);
            var took = await ClusterInstance.WaitForAsync(async () =>
                (await b.GetJsonAsync("/api/throttles")).EnumerateArray().Any(t => t.GetProperty("name").GetString() == "slow-example"),
                TimeSpan.FromSeconds(10), "B to apply A's throttle");
            Assert.True(took <= TimeSpan.FromSeconds(1), $"B applied A's throttle after {took.TotalMilliseconds} ms");
            var effective = await c.GetJsonAsync("/api/throttles/effective?mta=192.0.2.1&domain=slow.example");
            Assert.Equal(7, effective.GetProperty("limits").GetProperty("domainMessagesPerMinute").GetProperty("value").GetInt32());

            // A cluster-wide pause made on B applies on C at once; one scoped to the instance stays on B.
            Assert.Equal(HttpStatusCode.OK, (await b.SendAsync(HttpMethod.Post, "/v1/pauses", """{"domain":"everywhere.example","cluster":true}""")).Status);
            Assert.Equal(HttpStatusCode.OK, (await b.SendAsync(HttpMethod.Post, "/v1/pauses", """{"domain":"only-b.example"}""")).Status);
            took = await ClusterInstance.WaitForAsync(async () =>
                (await c.GetJsonAsync("/v1/pauses")).EnumerateArray().Any(p => p.GetProperty("domain").GetString() == "everywhere.example"),
                TimeSpan.FromSeconds(10), "C to apply B's cluster pause");
            Assert.True(took <= TimeSpan.FromSeconds(1), $"C applied B's pause after {took.TotalMilliseconds} ms");
            Assert.DoesNotContain((await c.GetJsonAsync("/v1/pauses")).EnumerateArray(), p => p.GetProperty("domain").GetString() == "only-b.example");
            Assert.Contains((await b.GetJsonAsync("/v1/pauses")).EnumerateArray(), p => p.GetProperty("domain").GetString() == "only-b.example");

            // C stops: after three missed announcement periods A and B show it stale.
            Assert.Equal(0, await c.StopAsync());
            foreach (var i in new[] { a, b })
                await ClusterInstance.WaitForAsync(async () =>
                    (await i.ClusterAsync()).TryGetValue(c.Id, out var e) && e.GetProperty("stale").GetBoolean() && e.GetProperty("health").GetString() == "stale",
                    TimeSpan.FromSeconds(10), $"{i.Name} to see C stale");
            Assert.False((await a.ClusterAsync())[b.Id].GetProperty("stale").GetBoolean());
        }
        finally
        {
            foreach (var i in all) await i.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_switch_token_logs_into_its_target_once_and_nowhere_else()
    {
        string exchange = ClusterFixture.NewExchange();
        var all = await StartThreeAsync(exchange, await fixture.Postgres.CreateDatabaseAsync());
        var (a, b, c) = (all[0], all[1], all[2]);
        using var browser = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });
        try
        {
            // A password login on A.
            using var login = await browser.PostAsync(a.Url + "/api/login",
                new StringContent($$"""{"username":"{{ClusterInstance.User}}","password":"{{ClusterInstance.Password}}"}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            string cookie = login.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
            string csrf = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("csrf").GetString()!;

            async Task<string> SwitchUrlAsync(string target)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, a.Url + "/api/cluster/switch")
                {
                    Content = new StringContent(JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = target }), Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("Cookie", cookie);
                request.Headers.Add("X-CSRF-Token", csrf);
                request.Headers.Add("X-Requested-With", "XMLHttpRequest");
                using var response = await browser.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, text);
                return JsonDocument.Parse(text).RootElement.GetProperty("url").GetString()!;
            }

            string url = await SwitchUrlAsync(b.Id);
            Assert.StartsWith(b.Url + "/cluster/enter?token=", url);

            // The token for B used on C is refused there (and C gives no session).
            using (var wrong = await browser.GetAsync(c.Url + url[b.Url.Length..]))
            {
                Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
                Assert.False(wrong.Headers.Contains("Set-Cookie"));
            }

            // On B it logs the same user in, without a password, and lands on the console.
            using var enter = await browser.GetAsync(url);
            Assert.Equal(HttpStatusCode.SeeOther, enter.StatusCode);
            Assert.Equal("/", enter.Headers.Location!.OriginalString);
            string bCookie = enter.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
            using (var whoami = new HttpRequestMessage(HttpMethod.Get, b.Url + "/api/whoami"))
            {
                whoami.Headers.Add("Cookie", bCookie);
                whoami.Headers.Add("X-Requested-With", "XMLHttpRequest");
                using var response = await browser.SendAsync(whoami);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(ClusterInstance.User, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("user").GetString());
            }
            // Sessions stay per instance: B's cookie means nothing on A.
            using (var onA = new HttpRequestMessage(HttpMethod.Get, a.Url + "/api/whoami"))
            {
                onA.Headers.Add("Cookie", bCookie);
                onA.Headers.Add("X-Requested-With", "XMLHttpRequest");
                Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SendAsync(onA)).StatusCode);
            }

            // Used once: a replay is refused.
            using (var replay = await browser.GetAsync(url))
            {
                Assert.Equal(HttpStatusCode.Forbidden, replay.StatusCode);
                Assert.False(replay.Headers.Contains("Set-Cookie"));
            }
            // A tampered token is refused too.
            string fresh = await SwitchUrlAsync(c.Id);
            using (var tampered = await browser.GetAsync(fresh[..^2] + (fresh[^2] == 'A' ? "B" : "A") + fresh[^1]))
                Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
            // Without a cluster peer by that id there is nothing to switch to.
            using (var request = new HttpRequestMessage(HttpMethod.Post, a.Url + "/api/cluster/switch") { Content = new StringContent("""{"id":"http://nowhere.example"}""") })
            {
                request.Headers.Add("Cookie", cookie);
                request.Headers.Add("X-CSRF-Token", csrf);
                Assert.Equal(HttpStatusCode.NotFound, (await browser.SendAsync(request)).StatusCode);
            }
        }
        finally
        {
            foreach (var i in all) await i.DisposeAsync();
        }
    }

    [Fact]
    public async Task Three_instances_started_at_once_on_an_empty_database_migrate_it_once()
    {
        string url = await fixture.Postgres.CreateDatabaseAsync();
        string db = url[(url.LastIndexOf('/') + 1)..];
        string exchange = ClusterFixture.NewExchange();
        var all = new[] { "A", "B", "C" }.Select(n => ClusterInstance.Create(n, url, fixture.Rabbit.Url, exchange, FastAnnounce)).ToArray();
        try
        {
            foreach (var i in all) i.Start();
            await Task.WhenAll(all.Select(i => i.WaitUpAsync()));
            Assert.Equal("1,2,3", await fixture.Postgres.PsqlAsync(db, "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_version"));
            foreach (var i in all)
                await ClusterInstance.WaitForAsync(async () => (await i.ClusterAsync()).Count == 3, TimeSpan.FromSeconds(20), $"{i.Name} to list three instances");
        }
        finally
        {
            foreach (var i in all) await i.DisposeAsync();
        }
    }

    [Fact]
    public async Task List_cluster_without_a_broker_address_or_with_a_dead_one_says_so()
    {
        string url = await fixture.Postgres.CreateDatabaseAsync();
        await using var lone = ClusterInstance.Create("lone", url, null, "unused");
        var (code, _, stderr) = await MailerQProcess.RunAsync(["--config-file", lone.Config, "--list-cluster"]);
        Assert.Equal(2, code);
        Assert.Contains("no cluster configured", stderr);

        (code, _, stderr) = await MailerQProcess.RunAsync(["--config-file", lone.Config, "--list-cluster", $"--cluster-address=amqp://tester:s3cret@127.0.0.1:{MailerQProcess.FreePort()}"]);
        Assert.Equal(1, code);
        Assert.Contains("cannot reach the cluster exchange", stderr);
        Assert.DoesNotContain("s3cret", stderr);
    }
}
