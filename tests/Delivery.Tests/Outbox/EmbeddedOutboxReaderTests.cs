using System.Text;
using System.Text.Json.Nodes;
using MailerQ.Www.Smtp.Delivery.Outbox;
using MailerQ.Www.Smtp.Queue;
using Microsoft.Extensions.Time.Testing;

namespace MailerQ.Www.Delivery.Tests.Outbox;

public sealed class EmbeddedOutboxReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mq-outbox-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Json(string recipient, string? nextAttempt = null, string extra = "") =>
        Encoding.UTF8.GetBytes($"{{\"envelope\":\"a@example.com\",\"recipient\":\"{recipient}\"{(nextAttempt is null ? "" : $",\"nextattempt\":{{\"time\":\"{nextAttempt}\"}}")}{extra}}}");

    private static readonly byte[] Mime = "Subject: hi\r\n\r\nbody\r\n"u8.ToArray();

    [Fact]
    public async Task A_published_message_comes_out_with_its_mime_and_unknown_properties()
    {
        var queue = EmbeddedQueue.Open(_dir);
        await using var reader = new EmbeddedOutboxReader(queue, time: _time);
        await queue.PublishAsync(QueueNames.Outbox, "m1", Json("b@example.org", extra: ",\"custom\":{\"x\":1}"), Mime, default);

        var lease = await reader.TakeAsync(TestContext.Current.CancellationToken);

        Assert.Equal("m1", lease.Message.Id);
        Assert.Equal("b@example.org", lease.Message.Recipient);
        Assert.Equal("example.org", lease.Message.RecipientDomain);
        Assert.Equal(Mime, lease.Message.Mime.ToArray());
        Assert.Equal(1, (int)lease.Message.Json["custom"]!["x"]!);
        Assert.Null(lease.Message.Json["mime"]);
    }

    [Fact]
    public async Task Completing_a_lease_removes_the_file_and_a_crash_before_that_keeps_it()
    {
        var queue = EmbeddedQueue.Open(_dir);
        await queue.PublishAsync(QueueNames.Outbox, "m1", Json("b@example.org"), Mime, default);
        await using (var first = new EmbeddedOutboxReader(queue, time: _time))
        {
            _ = await first.TakeAsync(TestContext.Current.CancellationToken);
            // "crash": the lease is never completed
        }
        Assert.Equal(1, queue.Count(QueueNames.Outbox));

        await using var second = new EmbeddedOutboxReader(queue, time: _time);
        var lease = await second.TakeAsync(TestContext.Current.CancellationToken);
        await lease.CompleteAsync();
        Assert.Equal(0, queue.Count(QueueNames.Outbox));
    }

    [Fact]
    public async Task A_message_with_a_future_nextattempt_waits_until_then()
    {
        var queue = EmbeddedQueue.Open(_dir);
        await using var reader = new EmbeddedOutboxReader(queue, time: _time);
        await queue.PublishAsync(QueueNames.Outbox, "later", Json("b@example.org", "2026-11-26 12:10:00"), Mime, default);
        await queue.PublishAsync(QueueNames.Outbox, "now", Json("c@example.org"), Mime, default);

        var first = await reader.TakeAsync(TestContext.Current.CancellationToken);
        Assert.Equal("now", first.Message.Id);

        var pending = reader.TakeAsync(TestContext.Current.CancellationToken).AsTask();
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.False(pending.IsCompleted);
        _time.Advance(TimeSpan.FromMinutes(10));
        var second = await pending.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal("later", second.Message.Id);
    }

    [Fact]
    public async Task A_retry_published_under_the_same_id_while_in_flight_is_kept_and_read_again()
    {
        var queue = EmbeddedQueue.Open(_dir);
        await using var reader = new EmbeddedOutboxReader(queue, time: _time);
        await queue.PublishAsync(QueueNames.Outbox, "m1", Json("b@example.org"), Mime, default);
        var lease = await reader.TakeAsync(TestContext.Current.CancellationToken);

        await queue.PublishAsync(QueueNames.Outbox, "m1", Json("b@example.org", "2026-11-26 12:10:00", ",\"results\":[{}]"), Mime, default);
        await lease.CompleteAsync();

        Assert.Equal(1, queue.Count(QueueNames.Outbox));
        _time.Advance(TimeSpan.FromMinutes(10));
        var again = await reader.TakeAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(1, again.Message.Attempts);
    }

    [Fact]
    public async Task Mail_received_over_smtp_becomes_one_message_per_recipient_and_the_file_goes_when_all_are_done()
    {
        var queue = EmbeddedQueue.Open(_dir);
        await using var reader = new EmbeddedOutboxReader(queue, time: _time);
        var draft = queue.BeginMessage();
        draft.Write(Mime);
        var inbound = new InboundMessage
        {
            Id = draft.Id, Envelope = "a@example.com", Received = _time.GetUtcNow(), HostName = "mx.test",
            Recipients = [new InboundRecipient("b@example.org", "FAILURE", null), new InboundRecipient("c@example.net", null, null)],
        };
        await queue.CommitAsync(draft, inbound, default);

        var one = await reader.TakeAsync(TestContext.Current.CancellationToken);
        var two = await reader.TakeAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["b@example.org", "c@example.net"], new[] { one.Message.Recipient, two.Message.Recipient }.Order());
        Assert.Equal("FAILURE", (string?)one.Message.Dsn?["notify"]);
        Assert.Equal(Mime, one.Message.Mime.ToArray());

        await one.CompleteAsync();
        Assert.Equal(1, queue.Count(QueueNames.Outbox));
        await two.CompleteAsync();
        Assert.Equal(0, queue.Count(QueueNames.Outbox));
    }

    [Fact]
    public async Task A_damaged_entry_is_handed_out_as_invalid_instead_of_dropped()
    {
        var queue = EmbeddedQueue.Open(_dir);
        await using var reader = new EmbeddedOutboxReader(queue, time: _time);
        await queue.PublishAsync(QueueNames.Outbox, "bad", "{\"envelope\":\"a@b\"}"u8.ToArray(), Mime, default);

        var lease = await reader.TakeAsync(TestContext.Current.CancellationToken);

        Assert.Equal("bad", lease.Message.Id);
        Assert.Contains("no recipient", lease.Message.InvalidReason);
    }

    [Fact]
    public async Task Parked_messages_move_back_to_the_outbox()
    {
        var queue = EmbeddedQueue.Open(_dir);
        await using var reader = new EmbeddedOutboxReader(queue, time: _time);
        await queue.PublishAsync("paused", "p1", Json("b@example.org"), Mime, default);
        Assert.Equal(0, reader.Waiting);

        Assert.Equal(1, queue.MoveAll("paused", QueueNames.Outbox));

        var lease = await reader.TakeAsync(TestContext.Current.CancellationToken);
        Assert.Equal("p1", lease.Message.Id);
        Assert.Equal(0, queue.Count("paused"));
    }

    [Fact]
    public async Task A_resume_while_a_parked_message_is_still_leaving_the_outbox_does_not_lose_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var queue = EmbeddedQueue.Open(_dir);
        await using var reader = new EmbeddedOutboxReader(queue, time: _time);
        await queue.PublishAsync(QueueNames.Outbox, "m1", Json("b@example.org"), Mime, ct);
        var lease = await reader.TakeAsync(ct);

        // The engine parks it: the parked copy first, the outbox file is removed after. A resume comes in between.
        await queue.PublishAsync("paused", "m1", Json("b@example.org"), Mime, ct);
        var resume = queue.MoveAllAsync("paused", QueueNames.Outbox, ct).AsTask();
        await Task.Delay(100, ct);
        await lease.CompleteAsync();

        Assert.Equal(1, await resume);
        Assert.Equal(0, queue.Count("paused"));
        var again = await reader.TakeAsync(ct);
        Assert.Equal("m1", again.Message.Id);
    }

    [Fact]
    public async Task A_message_whose_id_stays_in_the_target_queue_is_left_parked_not_overwritten()
    {
        var queue = EmbeddedQueue.Open(_dir);
        await queue.PublishAsync(QueueNames.Outbox, "m2", Json("old@example.org"), Mime, default);
        await queue.PublishAsync("paused", "m2", Json("parked@example.org"), Mime, default);

        Assert.Equal(0, queue.MoveAll("paused", QueueNames.Outbox, out int busy));
        Assert.Equal(1, busy);
        Assert.Equal(1, queue.Count("paused"));
        Assert.Contains("old@example.org", File.ReadAllText(queue.PathOf(QueueNames.Outbox, "m2")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publishing_refuses_names_that_would_leave_the_queue_directory()
    {
        var queue = EmbeddedQueue.Open(_dir);
        await Assert.ThrowsAsync<ArgumentException>(() => queue.PublishAsync("../x", "m", Json("b@c.d"), Mime, default).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => queue.PublishAsync(QueueNames.Outbox, "../../m", Json("b@c.d"), Mime, default).AsTask());
    }

    [Fact]
    public async Task Many_queued_messages_are_indexed_without_holding_their_mime()
    {
        var queue = EmbeddedQueue.Open(_dir);
        var big = new byte[64 * 1024];
        for (int i = 0; i < 200; i++)
            await queue.PublishAsync(QueueNames.Outbox, $"m{i:D4}", Json("b@example.org"), big, default);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        await using var reader = new EmbeddedOutboxReader(queue, time: _time);
        long after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.Equal(200, reader.Waiting);
        Assert.True(after - before < 2 * 1024 * 1024, $"index of 200 × 64 KiB messages took {after - before} bytes");
    }

    [Fact]
    public async Task Among_messages_that_are_due_a_higher_priority_goes_first()
    {
        var queue = EmbeddedQueue.Open(_dir);
        await queue.PublishAsync(QueueNames.Outbox, "a-low", Json("b@example.org"), Mime, default);
        await queue.PublishAsync(QueueNames.Outbox, "b-high", Json("c@example.org", extra: ",\"priority\":5"), Mime, default);
        await queue.PublishAsync(QueueNames.Outbox, "c-mid", Json("d@example.org", extra: ",\"priority\":2"), Mime, default);
        await using var reader = new EmbeddedOutboxReader(queue, time: _time);

        var order = new List<string>();
        for (int i = 0; i < 3; i++)
            order.Add((await reader.TakeAsync(TestContext.Current.CancellationToken)).Message.Id);

        Assert.Equal(["b-high", "c-mid", "a-low"], order);
    }
}
