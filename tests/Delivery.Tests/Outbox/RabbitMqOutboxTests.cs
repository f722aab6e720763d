using System.Text;
using MailerQ.Www.Smtp.Delivery.Outbox;
using MailerQ.Www.Smtp.Queue;
using MailerQ.Www.Smtp.Tests;
using RabbitMQ.Client;

namespace MailerQ.Www.Delivery.Tests.Outbox;

public sealed class RabbitMqOutboxTests
{
    private static readonly byte[] Mime = "Subject: hi\r\n\r\nbody\r\n"u8.ToArray();

    private static RabbitMqOptions Options(RabbitMqBroker broker, bool gzip = true) => new() { Address = broker.Url, Gzip = gzip };

    [Fact]
    public async Task Consumes_outbox_JSON_acknowledges_on_completion_and_reports_garbage_as_invalid()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await RabbitMqBroker.StartAsync();
        await using (var outbox = new RabbitMqOutbox(Options(broker), "outbox", 10))
        {
            await outbox.StartAsync(ct);
            await outbox.PublishAsync("outbox", "m1", "{\"envelope\":\"a@example.com\",\"recipient\":\"b@example.org\",\"custom\":true}"u8.ToArray(), Mime, ct);
            var factory = new ConnectionFactory { Uri = new Uri(broker.Url) };
            await using (var connection = await factory.CreateConnectionAsync(ct))
            await using (var channel = await connection.CreateChannelAsync(cancellationToken: ct))
                await channel.BasicPublishAsync("", "outbox", Encoding.UTF8.GetBytes("{not json"), ct);

            var good = await outbox.TakeAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(20), ct);
            Assert.Equal("m1", good.Message.Id);
            Assert.Equal(Mime, good.Message.Mime.ToArray());
            Assert.True((bool)good.Message.Json["custom"]!);
            var bad = await outbox.TakeAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(20), ct);
            Assert.StartsWith("invalid JSON", bad.Message.InvalidReason);
            Assert.Equal("{not json", (string?)bad.Message.Json["raw"]);

            await good.CompleteAsync();
            await bad.CompleteAsync();
        }
        // Both were acknowledged: nothing is left in the queue after the consumer is gone.
        Assert.Null(await broker.GetAsync("outbox"));
    }

    [Fact]
    public async Task A_retry_waits_in_a_delay_queue_and_comes_back_to_the_outbox_when_due()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await RabbitMqBroker.StartAsync();
        await using var outbox = new RabbitMqOutbox(Options(broker, gzip: false), "outbox", 10);
        await outbox.StartAsync(ct);
        string due = DateTimeOffset.UtcNow.AddSeconds(3).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

        await outbox.PublishAsync("outbox", "r1", Encoding.UTF8.GetBytes($"{{\"recipient\":\"b@example.org\",\"nextattempt\":{{\"time\":\"{due}\"}}}}"), Mime, ct);

        var early = outbox.TakeAsync(ct).AsTask();
        await Task.Delay(1000, ct);
        Assert.False(early.IsCompleted);
        var lease = await early.WaitAsync(TimeSpan.FromSeconds(20), ct);
        Assert.Equal("r1", lease.Message.Id);
        await lease.CompleteAsync();
    }
}
