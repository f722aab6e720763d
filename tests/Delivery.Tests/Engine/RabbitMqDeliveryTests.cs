using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Smtp.Client;
using MailerQ.Www.Smtp.Delivery;
using MailerQ.Www.Smtp.Delivery.Outbox;
using MailerQ.Www.Smtp.Delivery.Results;
using MailerQ.Www.Smtp.Dns;
using MailerQ.Www.Smtp.Queue;
using MailerQ.Www.Smtp.Settings;
using MailerQ.Www.Smtp.Tests;

namespace MailerQ.Www.Delivery.Tests.Engine;

public sealed class RabbitMqDeliveryTests
{
    [Fact]
    public async Task Outbox_messages_from_RabbitMQ_are_delivered_results_published_and_paused_mail_parked_and_resumed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var broker = await RabbitMqBroker.StartAsync();
        await using var peer = SmtpTestServer.Start();
        string dir = Directory.CreateTempSubdirectory("mq-rmq-engine-").FullName;
        var store = SettingsStoreFactory.OpenSqlite(Path.Combine(dir, "mailerq.sql"));
        await store.MigrateAsync(ct);
        await using var settings = await SettingsCache.StartAsync(store, SettingsCache.DefaultTtl, cancellationToken: ct);
        var rabbit = new RabbitMqOptions { Address = broker.Url, Gzip = true };
        await using var outbox = new RabbitMqOutbox(rabbit, "outbox", 50);
        await outbox.StartAsync(ct);
        var queues = new ResultQueues { Results = "results", Success = "success", Failure = "failure" };
        using var sendLog = new SendLog(null, TimeProvider.System);
        var options = new DeliveryOptions { Sink = new Relay("127.0.0.1", peer.Port, null, null), HostName = "mta.test", ResumeInterval = TimeSpan.FromMilliseconds(200) };
        await using var engine = new DeliveryEngine(options, new DeliveryEngineParts
        {
            Outbox = outbox,
            Publisher = outbox,
            Settings = () => settings.Current,
            Dns = new MxResolver(new DnsOptions(), TimeProvider.System),
            Results = new ResultRouter(RetryPolicy.Default, queues, new DsnBuilder(new DsnOptions { HostName = "mta.test" }, TimeProvider.System), outbox, sendLog, TimeProvider.System),
            ResumeParked = token => outbox.MoveAllAsync(options.ParkingQueue, "outbox", token),
            ClientTemplate = new SmtpClientOptions { ConnectTimeout = TimeSpan.FromSeconds(5) },
        });
        engine.Start();

        await settings.WriteAsync((s, c) => s.AddPauseAsync(new Pause { Domain = "paused.example" }, "test", c), ct);
        await outbox.PublishAsync("outbox", "m1", Encoding.UTF8.GetBytes("{\"envelope\":\"a@example.com\",\"recipient\":\"b@example.org\",\"custom\":42}"), "Subject: one\r\n\r\nbody\r\n"u8.ToArray(), ct);
        await outbox.PublishAsync("outbox", "m2", Encoding.UTF8.GetBytes("{\"envelope\":\"a@example.com\",\"recipient\":\"c@paused.example\"}"), "Subject: two\r\n\r\nbody\r\n"u8.ToArray(), ct);

        var success = await PollAsync(broker, "success", ct);
        Assert.Equal(42, (int)success["custom"]!);
        Assert.Equal("accepted", (string?)((JsonObject)((JsonArray)success["results"]!)[^1]!)["result"]);
        Assert.NotNull(await PollAsync(broker, "results", ct));
        await Task.Delay(1000, ct);
        Assert.Single(peer.Queued());

        await settings.WriteAsync((s, c) => s.DeletePausesAsync(new Pause { Domain = "paused.example" }, "test", c), ct);
        var resumed = await PollAsync(broker, "success", ct);
        Assert.Equal("c@paused.example", (string?)resumed["recipient"]);
        Assert.Equal(2, peer.Queued().Count);
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>Takes one message off a queue (gzip-encoded JSON), waiting up to 20 s.</summary>
    private static async Task<JsonObject> PollAsync(RabbitMqBroker broker, string queue, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (await broker.GetAsync(queue) is { } body)
            {
                using var input = new MemoryStream(body);
                using var gzip = new System.IO.Compression.GZipStream(input, System.IO.Compression.CompressionMode.Decompress);
                return JsonNode.Parse(gzip)!.AsObject();
            }
            await Task.Delay(200, ct);
        }
        throw new TimeoutException("nothing in " + queue);
    }
}
