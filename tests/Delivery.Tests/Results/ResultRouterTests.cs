using System.Text;
using System.Text.Json;
using MailerQ.Www.Smtp.Delivery;
using MailerQ.Www.Smtp.Delivery.Messages;
using MailerQ.Www.Smtp.Delivery.Results;
using Microsoft.Extensions.Time.Testing;

namespace MailerQ.Www.Delivery.Tests.Results;

public sealed class ResultRouterTests
{
    private readonly FakeTimeProvider _time = new(TestMessages.Start);
    private readonly RecordingPublisher _publisher = new();

    private ResultRouter Router(params string[] args)
    {
        var config = TestMessages.Config(args);
        var router = new ResultRouter(
            RetryPolicy.Read(config),
            ResultQueues.Read(config),
            new DsnBuilder(DsnOptions.Read(config, "mq.test.example"), _time),
            _publisher,
            sendLog: null,
            _time);
        Assert.False(config.Diagnostics.HasErrors, string.Join("\n", config.Diagnostics));
        return router;
    }

    private static readonly string[] AllQueues =
        ["--rabbitmq-results=results", "--rabbitmq-success=success", "--rabbitmq-failure=failure", "--rabbitmq-retry=retry"];

    private ValueTask<ResultDisposition> Complete(ResultRouter router, OutboxMessage message, AttemptResult result) =>
        router.CompleteAsync(message, result, TestContext.Current.CancellationToken);

    [Fact]
    public async Task By_default_results_success_failure_and_retry_are_not_published()
    {
        var router = Router();
        var delivered = await Complete(router, TestMessages.Simple(), TestMessages.Success(_time.GetUtcNow()));
        Assert.Equal(ResultKind.Delivered, delivered.Kind);
        Assert.Empty(_publisher.Messages);
    }

    [Fact]
    public async Task Success_goes_to_results_and_success_with_the_result_json()
    {
        var router = Router(AllQueues);
        var message = TestMessages.Simple(",\"custom\":\"kept\"");
        var disposition = await Complete(router, message, TestMessages.Success(_time.GetUtcNow()));

        Assert.Equal(ResultKind.Delivered, disposition.Kind);
        Assert.Equal(["results", "success"], _publisher.Queues);
        foreach (var published in _publisher.Messages)
        {
            Assert.Equal(message.Id, published.Id);
            Assert.Equal("kept", published.Root.GetProperty("custom").GetString());
            Assert.Equal("accepted", published.Root.GetProperty("results")[0].GetProperty("result").GetString());
            Assert.Empty(published.Mime);
        }
    }

    [Fact]
    public async Task Keepmime_results_carry_the_mime()
    {
        var router = Router(AllQueues);
        await Complete(router, TestMessages.Simple(",\"keepmime\":true"), TestMessages.Success(_time.GetUtcNow()));
        Assert.All(_publisher.Messages, p => Assert.Equal(TestMessages.Mime, Encoding.UTF8.GetString(p.Mime)));
    }

    [Fact]
    public async Task Permanent_failure_goes_to_results_and_failure_and_bounces_to_the_sender_via_the_outbox()
    {
        var router = Router(AllQueues);
        var disposition = await Complete(router, TestMessages.Simple(), TestMessages.Permanent(_time.GetUtcNow()));

        Assert.Equal(ResultKind.Failed, disposition.Kind);
        Assert.Equal(["results", "failure", "outbox"], _publisher.Queues);
        var failure = _publisher.Single("failure");
        Assert.Equal(550, failure.Root.GetProperty("results")[0].GetProperty("code").GetInt32());
        var bounce = _publisher.Single("outbox");
        Assert.Equal("", bounce.Root.GetProperty("envelope").GetString());
        Assert.Equal("alice@sender.example", bounce.Root.GetProperty("recipient").GetString());
        Assert.Contains("report-type=delivery-status", Encoding.UTF8.GetString(bounce.Mime), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Temporary_failure_goes_back_to_the_outbox_with_nextattempt_and_its_mime_and_to_retry()
    {
        var router = Router([.. AllQueues, "--dsn-notify=NEVER"]);
        var message = TestMessages.Simple(",\"custom\":[1,2]");
        var disposition = await Complete(router, message, TestMessages.Temporary(_time.GetUtcNow()));

        Assert.Equal(ResultKind.Retried, disposition.Kind);
        Assert.Equal(TestMessages.Start.AddSeconds(600), disposition.NextAttempt);
        Assert.Equal(["outbox", "retry"], _publisher.Queues);

        var outbox = _publisher.Single("outbox");
        Assert.Equal(message.Id, outbox.Id);
        Assert.Equal("2026-11-26 13:55:12", outbox.Root.GetProperty("nextattempt").GetProperty("time").GetString());
        Assert.Equal(2, outbox.Root.GetProperty("custom").GetArrayLength());
        Assert.Equal(1, outbox.Root.GetProperty("results").GetArrayLength());
        Assert.Equal(TestMessages.Mime, Encoding.UTF8.GetString(outbox.Mime));

        // What the engine reads back from the outbox keeps its attempts, so the next wait is the second interval.
        var requeued = OutboxJson.Parse(outbox.Id, Encoding.UTF8.GetBytes(InlineMime(outbox)), out var error);
        Assert.True(requeued is not null, error);
        Assert.Equal(TestMessages.Start.AddSeconds(600), requeued.NextAttempt);
        _time.Advance(TimeSpan.FromSeconds(600));
        var second = await Complete(router, requeued, TestMessages.Temporary(_time.GetUtcNow()));
        Assert.Equal(_time.GetUtcNow().AddSeconds(600), second.NextAttempt);

        var retry = _publisher.Messages[1];
        Assert.Equal("retry", retry.Queue);
        Assert.True(retry.Root.TryGetProperty("extracted", out _));
        Assert.Empty(retry.Mime);
    }

    /// <summary>The JSON with the published MIME put back inline (how a RabbitMQ consumer sees it).</summary>
    private static string InlineMime(RecordingPublisher.Published published)
    {
        var obj = System.Text.Json.Nodes.JsonNode.Parse(published.Json)!.AsObject();
        obj["mime"] = Encoding.UTF8.GetString(published.Mime);
        return obj.ToJsonString();
    }

    [Fact]
    public async Task Temporary_failure_past_max_attempts_becomes_a_process_timeout_failure()
    {
        var router = Router([.. AllQueues, "--max-attempts=1"]);
        var message = TestMessages.Simple();
        var disposition = await Complete(router, message, TestMessages.Temporary(_time.GetUtcNow()));

        Assert.Equal(ResultKind.Failed, disposition.Kind);
        Assert.Equal(DeliveryStates.Process, disposition.Result.State);
        Assert.Equal(DeliveryResults.Timeout, disposition.Result.Result);
        var results = _publisher.Single("failure").Root.GetProperty("results");
        Assert.Equal(2, results.GetArrayLength());
        Assert.Equal("rcptto", results[0].GetProperty("state").GetString());
        Assert.Equal("process", results[1].GetProperty("state").GetString());
        Assert.Equal("timeout", results[1].GetProperty("result").GetString());
        Assert.DoesNotContain("retry", _publisher.Queues);
    }

    [Fact]
    public async Task Temporary_failure_after_the_delivery_time_becomes_a_process_timeout_failure_with_status_5_4_7()
    {
        var router = Router(AllQueues);
        var message = TestMessages.Simple(",\"received\":\"2026-11-25 10:00:00\"");
        var disposition = await Complete(router, message, TestMessages.Temporary(_time.GetUtcNow()));

        Assert.Equal(ResultKind.Failed, disposition.Kind);
        Assert.Contains("delivery time", disposition.Result.Description, StringComparison.Ordinal);
        var bounce = Encoding.UTF8.GetString(_publisher.Single("outbox").Mime);
        Assert.Contains("Status: 5.4.7", bounce, StringComparison.Ordinal);
        Assert.Contains("Diagnostic-Code: smtp; 451 4.3.0 Try again later", bounce, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_found_expired_before_an_attempt_fails_with_a_bounce_quoting_its_last_reply()
    {
        var router = Router(AllQueues);
        var message = TestMessages.Simple();
        await Complete(router, message, TestMessages.Temporary(_time.GetUtcNow(), 452, "4.2.2"));
        _publisher.Messages.Clear();
        _time.Advance(TimeSpan.FromDays(2));
        Assert.True(router.Policy.IsExpired(message, _time.GetUtcNow()));

        var disposition = await Complete(router, message, RetryPolicy.TimeoutResult(_time.GetUtcNow(), "message expired"));
        Assert.Equal(ResultKind.Failed, disposition.Kind);
        Assert.Equal(["results", "failure", "outbox"], _publisher.Queues);
        var results = _publisher.Single("failure").Root.GetProperty("results");
        Assert.Equal(["rcptto", "process"], results.EnumerateArray().Select(r => r.GetProperty("state").GetString()));
        var bounce = Encoding.UTF8.GetString(_publisher.Single("outbox").Mime);
        Assert.Contains("Status: 5.4.7", bounce, StringComparison.Ordinal);
        Assert.Contains("Diagnostic-Code: smtp; 452 4.2.2 Try again later", bounce, StringComparison.Ordinal);
        Assert.Contains("Remote-MTA: dns; mx.example.org", bounce, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explicitly_fatal_result_without_a_code_fails_at_once()
    {
        var router = Router(AllQueues);
        var result = new AttemptResult { State = DeliveryStates.Dns, Result = DeliveryResults.Error, Description = "NXDOMAIN", Time = _time.GetUtcNow(), Fatal = true };
        var disposition = await Complete(router, TestMessages.Simple(), result);
        Assert.Equal(ResultKind.Failed, disposition.Kind);
        Assert.Same(result, disposition.Result);
    }

    [Fact]
    public async Task Message_queues_override_by_name_and_null_turns_a_queue_off()
    {
        var router = Router(AllQueues);
        var message = TestMessages.Simple(",\"queues\":{\"results\":null,\"failure\":\"my-failures\",\"dsn\":\"bounces\"}");
        await Complete(router, message, TestMessages.Permanent(_time.GetUtcNow()));
        Assert.Equal(["my-failures", "bounces"], _publisher.Queues);
    }

    [Fact]
    public async Task Message_queues_missing_member_keeps_the_config_default()
    {
        var router = Router("--rabbitmq-success=ok-queue");
        await Complete(router, TestMessages.Simple(",\"queues\":{\"results\":\"mine\"}"), TestMessages.Success(_time.GetUtcNow()));
        Assert.Equal(["mine", "ok-queue"], _publisher.Queues);
    }

    [Fact]
    public async Task Message_queues_name_a_queue_the_config_leaves_off()
    {
        var router = Router();
        await Complete(router, TestMessages.Simple(",\"queues\":{\"retry\":\"later\"},\"dsn\":{\"notify\":\"NEVER\"}"), TestMessages.Temporary(_time.GetUtcNow()));
        Assert.Equal(["outbox", "later"], _publisher.Queues);
    }

    [Fact]
    public async Task Rabbitmq_outbox_names_the_queue_retries_go_back_to_and_dsn_follows_it()
    {
        var router = Router("--rabbitmq-outbox=out2", "--dsn-notify=FAILURE,DELAY");
        await Complete(router, TestMessages.Simple(), TestMessages.Temporary(_time.GetUtcNow()));
        Assert.Equal(["out2", "out2"], _publisher.Queues);
        Assert.Equal("", _publisher.Messages[1].Root.GetProperty("envelope").GetString());
    }

    [Fact]
    public async Task Empty_rabbitmq_dsn_turns_bounces_off()
    {
        var router = Router("--rabbitmq-dsn=");
        await Complete(router, TestMessages.Simple(), TestMessages.Permanent(_time.GetUtcNow()));
        Assert.Empty(_publisher.Messages);
    }

    [Fact]
    public async Task Delay_notification_is_sent_on_the_first_temporary_failure_only()
    {
        var router = Router();
        var message = TestMessages.Simple(",\"dsn\":{\"notify\":\"DELAY,FAILURE\"}");
        await Complete(router, message, TestMessages.Temporary(_time.GetUtcNow()));
        _time.Advance(TimeSpan.FromMinutes(10));
        await Complete(router, message, TestMessages.Temporary(_time.GetUtcNow()));

        var bounces = _publisher.Messages.FindAll(p => p.Root.GetProperty("envelope").GetString() == "");
        var bounce = Assert.Single(bounces);
        Assert.Contains("Action: delayed", Encoding.UTF8.GetString(bounce.Mime), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Success_notification_is_sent_when_asked()
    {
        var router = Router();
        await Complete(router, TestMessages.Simple(",\"dsn\":{\"notify\":\"SUCCESS\"}"), TestMessages.Success(_time.GetUtcNow()));
        var bounce = _publisher.Single("outbox");
        Assert.Contains("Action: delivered", Encoding.UTF8.GetString(bounce.Mime), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Null_sender_never_gets_a_bounce()
    {
        var router = Router(AllQueues);
        var message = TestMessages.Parse("{\"envelope\":\"\",\"recipient\":\"bob@example.org\"}");
        await Complete(router, message, TestMessages.Permanent(_time.GetUtcNow()));
        Assert.Equal(["results", "failure"], _publisher.Queues);
    }

    [Fact]
    public async Task Send_log_gets_a_line_per_final_result_and_per_temporary_failure()
    {
        using var log = new SendLog(null, _time);
        var config = TestMessages.Config("--dsn-notify=NEVER");
        var router = new ResultRouter(RetryPolicy.Read(config), ResultQueues.Read(config), new DsnBuilder(DsnOptions.Read(config, "h"), _time), _publisher, log, _time);
        await router.CompleteAsync(TestMessages.Simple(), TestMessages.Temporary(_time.GetUtcNow()), TestContext.Current.CancellationToken);
        await router.CompleteAsync(TestMessages.Simple(), TestMessages.Permanent(_time.GetUtcNow()), TestContext.Current.CancellationToken);
        await router.CompleteAsync(TestMessages.Simple(), TestMessages.Success(_time.GetUtcNow()), TestContext.Current.CancellationToken);
        Assert.Equal(["delivered", "failed", "retry"], log.Recent(10, null).Select(e => e.Disposition));
    }

    [Fact]
    public async Task Result_json_round_trips_through_the_json_parser()
    {
        var router = Router(AllQueues);
        await Complete(router, TestMessages.Simple(), TestMessages.Success(_time.GetUtcNow()));
        using var document = JsonDocument.Parse(_publisher.Single("results").Json);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
    }
}
