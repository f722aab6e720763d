using System.Net;
using System.Text.Json.Nodes;
using MailerQ.Www.Core.Metrics;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Smtp.Queue;
using MailerQ.Www.Smtp.Tests;

namespace MailerQ.Www.Delivery.Tests.Engine;

public sealed class DeliveryEngineTests
{
    private static JsonObject LastResult(JsonObject message) => (JsonObject)((JsonArray)message["results"]!)[^1]!;

    [Fact]
    public async Task A_message_is_delivered_to_a_real_peer_and_reported_as_MailerQ_does()
    {
        await using var peer = SmtpTestServer.Start();
        await using var mta = await DeliveryHarness.StartAsync(new IPEndPoint(IPAddress.Loopback, peer.Port));
        string id = await mta.InjectAsync("rcpt@example.org", "\"tags\":[\"news\"],\"custom\":{\"kept\":true}");

        var success = await mta.WaitForAsync("success", 1);
        var results = await mta.WaitForAsync("results", 1);

        var result = LastResult(success[0]);
        Assert.Equal("message", (string?)result["state"]);
        Assert.Equal("accepted", (string?)result["result"]);
        Assert.Equal(250, (int)result["code"]!);
        Assert.True((bool)success[0]["custom"]!["kept"]!);
        Assert.Single(results);
        var received = Assert.Single(peer.Queued());
        Assert.Equal("rcpt@example.org", received.Message.Recipients[0].Address);
        Assert.Contains($"Hello {id}", System.Text.Encoding.UTF8.GetString(received.Mime));
        Assert.Equal(0, mta.Queue.Count(QueueNames.Outbox));
        var totals = mta.Counters.Totals(OverviewFilter.None);
        Assert.Equal(1, totals.Deliveries);
        Assert.Equal(1, totals.Attempts);
        Assert.Equal(1, totals.Connects);
        Assert.Equal(1, mta.Counters.Totals(new OverviewFilter(null, "example.org", "news")).Deliveries);
        mta.SendLog.Flush();
        Assert.Contains("rcpt@example.org", File.ReadAllText(Path.Combine(mta.Directory, "send.log")));
    }

    [Fact]
    public async Task Messages_to_one_domain_reuse_connections_up_to_the_throttle()
    {
        await using var peer = SmtpTestServer.Start();
        await using var mta = await DeliveryHarness.StartAsync(new IPEndPoint(IPAddress.Loopback, peer.Port));
        await mta.Settings.WriteAsync((s, ct) => s.AddThrottleAsync(new Throttle
        {
            Name = "two connections",
            Patterns = [new ThrottlePattern("*", "example.org")],
            Limits = new ThrottleLimits { DomainMaxActive = 2 },
        }, "test", ct));

        for (int i = 0; i < 20; i++)
            await mta.InjectAsync($"r{i}@example.org");
        await mta.WaitForAsync("success", 20);

        Assert.Equal(20, peer.Queued().Count);
        Assert.InRange(peer.Options.Counters.Connections, 1, 2);
    }

    [Fact]
    public async Task A_temporary_failure_goes_back_to_the_outbox_with_the_first_retry_interval()
    {
        using var sink = await SmtpSink.StartAsync("-r", "rcpt");
        await using var mta = await DeliveryHarness.StartAsync(sink.EndPoint);
        var before = DateTimeOffset.UtcNow;
        string id = await mta.InjectAsync("soft@example.org");

        var retry = await mta.WaitForAsync("retry", 1);

        var result = LastResult(retry[0]);
        Assert.Equal("rcptto", (string?)result["state"]);
        Assert.InRange((int)result["code"]!, 400, 499);
        var next = DateTimeOffset.Parse((string)retry[0]["nextattempt"]!["time"]!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
        Assert.InRange(next, before.AddSeconds(598), DateTimeOffset.UtcNow.AddSeconds(601));
        var queued = await WaitUntilAsync(() => mta.Read(QueueNames.Outbox).Find(m => (string?)m["recipient"] == "soft@example.org" && m["results"] is JsonArray { Count: 1 }));
        Assert.NotNull(queued);
        Assert.Empty(mta.Read("failure"));
    }

    [Fact]
    public async Task A_permanent_failure_is_final_and_bounces_to_the_sender()
    {
        using var sink = await SmtpSink.StartAsync("-f", "rcpt");
        await using var mta = await DeliveryHarness.StartAsync(sink.EndPoint);
        await mta.InjectAsync("hard@example.org", "\"dsn\":{\"notify\":\"FAILURE\"}");

        var failure = await mta.WaitForAsync("failure", 1);

        var result = LastResult(failure[0]);
        Assert.Equal("rcptto", (string?)result["state"]);
        Assert.InRange((int)result["code"]!, 500, 599);
        // The bounce goes out like any message (to the sink, which refuses it too); from the null sender it
        // fails without bouncing again.
        var failures = await mta.WaitForAsync("failure", 2);
        var bounce = Assert.Single(failures, m => (string?)m["recipient"] == "sender@example.com");
        Assert.Equal("", (string?)bounce["envelope"] ?? "");
        await Task.Delay(500);
        Assert.Equal(2, mta.Read("failure").Count);
        Assert.Equal(2, mta.Counters.Totals(OverviewFilter.None).Errors);
    }

    [Fact]
    public async Task A_forced_error_is_reported_as_if_the_remote_said_it_and_nothing_is_sent()
    {
        await using var peer = SmtpTestServer.Start();
        await using var mta = await DeliveryHarness.StartAsync(new IPEndPoint(IPAddress.Loopback, peer.Port));
        await mta.Settings.WriteAsync((s, ct) => s.AddForcedErrorAsync(new ForcedError { Code = 550, Extended = "5.7.1", Description = "blocked by the operator", Domain = "example.org" }, "test", ct));

        await mta.InjectAsync("forced@example.org");
        var failure = await mta.WaitForAsync("failure", 1);

        var result = LastResult(failure[0]);
        Assert.Equal(550, (int)result["code"]!);
        Assert.Equal("5.7.1", (string?)result["status"]);
        Assert.Equal("blocked by the operator", (string?)result["description"]);
        Assert.DoesNotContain(peer.Queued(), q => q.Message.Recipients[0].Address == "forced@example.org");
        Assert.Equal(0, mta.Counters.Totals(new OverviewFilter(Domain: "example.org")).Attempts);
    }

    [Fact]
    public async Task A_suppressed_recipient_fails_in_the_suppression_state()
    {
        await using var peer = SmtpTestServer.Start();
        await using var mta = await DeliveryHarness.StartAsync(new IPEndPoint(IPAddress.Loopback, peer.Port));
        await mta.Settings.WriteAsync((s, ct) => s.AddSuppressionAsync(new Suppression { Type = SuppressionType.Address, Value = "gone@example.org" }, "test", ct));

        await mta.InjectAsync("gone@example.org");
        var failure = await mta.WaitForAsync("failure", 1);

        Assert.Equal("suppression", (string?)LastResult(failure[0])["state"]);
        Assert.DoesNotContain(peer.Queued(), q => q.Message.Recipients[0].Address == "gone@example.org");
    }

    [Fact]
    public async Task TLS_required_against_a_peer_without_STARTTLS_fails_without_sending()
    {
        await using var peer = SmtpTestServer.Start();
        await using var mta = await DeliveryHarness.StartAsync(new IPEndPoint(IPAddress.Loopback, peer.Port));

        await mta.InjectAsync("secure@example.org", "\"security\":\"required\"");
        var failure = await mta.WaitForAsync("failure", 1);

        Assert.Equal("starttls", (string?)LastResult(failure[0])["state"]);
        Assert.DoesNotContain(peer.Queued(), q => q.Message.Recipients[0].Address == "secure@example.org");
    }

    [Fact]
    public async Task An_unusable_message_is_reported_invalid_never_dropped()
    {
        await using var peer = SmtpTestServer.Start();
        await using var mta = await DeliveryHarness.StartAsync(new IPEndPoint(IPAddress.Loopback, peer.Port));

        await mta.Queue.PublishAsync(QueueNames.Outbox, "broken", "{\"envelope\":\"a@example.com\",\"custom\":1}"u8.ToArray(), "x"u8.ToArray(), default);
        var failure = await mta.WaitForAsync("failure", 1);

        var result = LastResult(failure[0]);
        Assert.Equal("process", (string?)result["state"]);
        Assert.Equal("invalid", (string?)result["result"]);
        Assert.Equal(1, (int)failure[0]["custom"]!);
    }

    [Fact]
    public async Task A_messages_per_minute_limit_holds_on_the_wire_and_a_change_applies_within_a_second()
    {
        await using var peer = SmtpTestServer.Start();
        await using var mta = await DeliveryHarness.StartAsync(new IPEndPoint(IPAddress.Loopback, peer.Port));
        var throttle = await mta.Settings.WriteAsync((s, ct) => s.AddThrottleAsync(new Throttle
        {
            Name = "slow",
            Patterns = [new ThrottlePattern("*", "example.org")],
            Limits = new ThrottleLimits { DomainMessagesPerMinute = 60 },
        }, "test", ct));
        for (int i = 0; i < 12; i++)
            await mta.InjectAsync($"rate{i}@example.org");

        await WaitUntilAsync(() => peer.Queued().Count >= 4 ? "" : null, TimeSpan.FromSeconds(30));
        var slow = Arrivals(peer);
        // 60/min = one per second: four messages are sent over three seconds. The peer stamps them when they are
        // stored, which a busy machine can delay unevenly, so allow a second of jitter (unthrottled they take ~50 ms).
        Assert.True(slow[3] - slow[0] >= TimeSpan.FromSeconds(2), $"4 messages in {(slow[3] - slow[0]).TotalSeconds:F2} s at 60/min");

        var changed = DateTimeOffset.UtcNow;
        await mta.Settings.WriteAsync((s, ct) => s.UpdateThrottleAsync(throttle with { Limits = new ThrottleLimits { DomainMessagesPerMinute = 1200 } }, "test", ct));
        await WaitUntilAsync(() => peer.Queued().Count >= 12 ? "" : null, TimeSpan.FromSeconds(30));
        var all = Arrivals(peer);
        // The 8 left would need 8 s at the old rate; at 1200/min they take well under 2 s after the change is seen (≤ 1 s).
        Assert.True(all[^1] - changed < TimeSpan.FromSeconds(4), $"last arrival {(all[^1] - changed).TotalSeconds:F2} s after the change");
    }

    [Fact]
    public async Task Pausing_a_domain_mid_run_stops_deliveries_and_resuming_delivers_the_rest_exactly_once()
    {
        await using var peer = SmtpTestServer.Start();
        await using var mta = await DeliveryHarness.StartAsync(new IPEndPoint(IPAddress.Loopback, peer.Port));
        await mta.Settings.WriteAsync((s, ct) => s.AddThrottleAsync(new Throttle
        {
            Name = "slow",
            Patterns = [new ThrottlePattern("*", "example.org")],
            Limits = new ThrottleLimits { DomainMessagesPerMinute = 300 },
        }, "test", ct));
        for (int i = 0; i < 10; i++)
            await mta.InjectAsync($"p{i}@example.org");
        await WaitUntilAsync(() => peer.Queued().Count >= 2 ? "" : null);

        await mta.Settings.WriteAsync((s, ct) => s.AddPauseAsync(new Pause { Domain = "example.org" }, "test", ct));
        await Task.Delay(1500);
        int atPause = peer.Queued().Count;
        await Task.Delay(1500);
        Assert.Equal(atPause, peer.Queued().Count);
        Assert.True(atPause < 10);

        await mta.Settings.WriteAsync((s, ct) => s.DeletePausesAsync(new Pause { Domain = "example.org" }, "test", ct));
        await mta.WaitForAsync("success", 10);
        var recipients = peer.Queued().ConvertAll(q => q.Message.Recipients[0].Address);
        Assert.Equal(10, recipients.Count);
        Assert.Equal(10, recipients.Distinct().Count());
    }

    private static List<DateTimeOffset> Arrivals(SmtpTestServer peer)
    {
        var times = peer.Queued().ConvertAll(q => q.Message.Received);
        times.Sort();
        return times;
    }

    private static async Task<T?> WaitUntilAsync<T>(Func<T?> probe, TimeSpan? timeout = null) where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } found)
                return found;
            await Task.Delay(50);
        }
        return probe();
    }
}
