using System.Net.Http;
using System.Diagnostics;
using System.Net;
using MailerQ.Www.Delivery.Tests.Client;

namespace MailerQ.Www.Host.Tests.Cluster;

/// <summary>
/// Losing PostgreSQL or RabbitMQ under a running instance (issue 11 point 6): delivery goes on with the last settings,
/// the console says which is down, writes fail with a clear 503, and everything comes back by itself.
/// Each test stops a server, so each has its own (not the class fixture's).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection("cluster")]
public sealed class ClusterOutageTests
{
    private static async Task SendMailAsync(ClusterInstance instance, string subject)
    {
        var psi = new ProcessStartInfo("swaks", ["--server", $"127.0.0.1:{instance.SmtpPort}", "--from", "sender@example.org",
            "--to", "rcpt@dest.example", "--header", $"Subject: {subject}", "--body", "hello", "--silent", "2"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var swaks = Process.Start(psi)!;
        var stderr = swaks.StandardError.ReadToEndAsync();
        await swaks.StandardOutput.ReadToEndAsync();
        await swaks.WaitForExitAsync();
        Assert.True(swaks.ExitCode == 0, $"swaks exit {swaks.ExitCode}: {await stderr}");
    }

    private static async Task<string> StatusAsync(ClusterInstance instance, string what) =>
        (await instance.GetJsonAsync("/api/cluster"))[0].GetProperty(what).GetString()!;

    [Fact]
    public async Task Losing_postgresql_keeps_delivery_going_refuses_writes_and_recovers_by_itself()
    {
        await using var postgres = await Delivery.Tests.Cluster.PostgreSqlServer.StartAsync();
        await using var rabbit = await Smtp.Tests.RabbitMqBroker.StartAsync();
        await using var sink = await SmtpSink.StartAsync();
        string exchange = ClusterFixture.NewExchange();
        string database = await postgres.CreateDatabaseAsync();
        string relay = $"smarthost: 127.0.0.1\nsmarthost-port: {sink.Port}\ncluster-interval: 300ms\n";
        await using var a = ClusterInstance.Create("A", database, rabbit.Url, exchange, relay);
        await using var b = ClusterInstance.Create("B", database, rabbit.Url, exchange, relay);
        await a.StartAsync();
        await b.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await a.SendAsync(HttpMethod.Post, "/v1/pauses", """{"domain":"held.example","cluster":true}""")).Status);

        await postgres.StopServerAsync();
        await ClusterInstance.WaitForAsync(async () => await StatusAsync(a, "database") == "down", TimeSpan.FromSeconds(15), "A to report the database down");
        var self = (await a.GetJsonAsync("/api/cluster"))[0];
        Assert.Equal("degraded", self.GetProperty("health").GetString());
        Assert.False(string.IsNullOrEmpty(self.GetProperty("databaseError").GetString()));
        // B hears of it from A's announcement.
        // B may not have heard of A at all yet (its first announcement can lag): wait for that too, not throw.
        await ClusterInstance.WaitForAsync(async () => (await b.ClusterAsync()).TryGetValue(a.Id, out var seen) && seen.GetProperty("database").GetString() == "down",
            TimeSpan.FromSeconds(15), "B to see A's database down");

        // Writes are refused with a clear reason; reads answer from the last snapshot.
        var (status, body) = await a.SendAsync(HttpMethod.Post, "/v1/pauses", """{"domain":"new.example"}""");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("settings database unavailable", body);
        Assert.Contains("held.example", (await a.SendAsync(HttpMethod.Get, "/v1/pauses")).Body);

        // Delivery goes on meanwhile, with the last settings.
        await SendMailAsync(a, "while the database is down");
        await sink.WaitForAsync(c => c.Messages >= 1);

        await postgres.StartServerAsync();
        await ClusterInstance.WaitForAsync(async () => await StatusAsync(a, "database") == "up", TimeSpan.FromSeconds(15), "A to reconnect to the database");
        Assert.Equal(HttpStatusCode.OK, (await a.SendAsync(HttpMethod.Post, "/v1/pauses", """{"domain":"new.example","cluster":true}""")).Status);
        await ClusterInstance.WaitForAsync(async () => (await b.SendAsync(HttpMethod.Get, "/v1/pauses")).Body.Contains("new.example", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "B to apply the change made after the outage");
    }

    [Fact]
    public async Task Losing_rabbitmq_keeps_delivery_going_refuses_writes_and_rejoins_by_itself()
    {
        await using var postgres = await Delivery.Tests.Cluster.PostgreSqlServer.StartAsync();
        await using var rabbit = await Smtp.Tests.RabbitMqBroker.StartAsync();
        await using var sink = await SmtpSink.StartAsync();
        string exchange = ClusterFixture.NewExchange();
        string database = await postgres.CreateDatabaseAsync();
        string relay = $"smarthost: 127.0.0.1\nsmarthost-port: {sink.Port}\ncluster-interval: 300ms\n";
        await using var a = ClusterInstance.Create("A", database, rabbit.Url, exchange, relay);
        await using var b = ClusterInstance.Create("B", database, rabbit.Url, exchange, relay);
        await a.StartAsync();
        await b.StartAsync();
        await ClusterInstance.WaitForAsync(async () => (await a.ClusterAsync()).Count == 2, TimeSpan.FromSeconds(20), "A to see B");

        await rabbit.StopServerAsync();
        await ClusterInstance.WaitForAsync(async () => await StatusAsync(a, "broker") == "down", TimeSpan.FromSeconds(30), "A to report the broker down");
        Assert.False(string.IsNullOrEmpty((await a.GetJsonAsync("/api/cluster"))[0].GetProperty("brokerError").GetString()));

        var (status, body) = await a.SendAsync(HttpMethod.Post, "/api/throttles", """{"name":"t","domain":{"messagesPerMinute":5}}""");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("cluster broker unavailable", body);

        await SendMailAsync(a, "while the broker is down");
        await sink.WaitForAsync(c => c.Messages >= 1);

        await rabbit.StartServerAsync();
        await ClusterInstance.WaitForAsync(async () => await StatusAsync(a, "broker") == "up" && await StatusAsync(b, "broker") == "up",
            TimeSpan.FromSeconds(30), "A and B to rejoin the exchange");
        await ClusterInstance.WaitForAsync(async () => (await a.ClusterAsync()).TryGetValue(b.Id, out var e) && !e.GetProperty("stale").GetBoolean(),
            TimeSpan.FromSeconds(10), "A to hear B again");
        Assert.Equal(HttpStatusCode.OK, (await a.SendAsync(HttpMethod.Post, "/v1/pauses", """{"domain":"after.example","cluster":true}""")).Status);
        await ClusterInstance.WaitForAsync(async () => (await b.SendAsync(HttpMethod.Get, "/v1/pauses")).Body.Contains("after.example", StringComparison.Ordinal),
            TimeSpan.FromSeconds(5), "B to apply the change made after the outage");
    }
}
