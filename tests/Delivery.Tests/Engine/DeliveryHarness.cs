using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MailerQ.Www.Core.Metrics;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Smtp.Client;
using MailerQ.Www.Smtp.Delivery;
using MailerQ.Www.Smtp.Delivery.Outbox;
using MailerQ.Www.Smtp.Delivery.Results;
using MailerQ.Www.Smtp.Dns;
using MailerQ.Www.Smtp.Queue;
using MailerQ.Www.Smtp.Settings;
using Microsoft.Data.Sqlite;

namespace MailerQ.Www.Delivery.Tests.Engine;

/// <summary>
/// A delivery engine as the host composes it — embedded queue, SQLite settings, real SMTP client — sending to a
/// real peer on loopback through <c>smtp-sink-address</c>. Results go to queues named results/success/failure/retry.
/// </summary>
internal sealed class DeliveryHarness : IAsyncDisposable
{
    private DeliveryHarness(string dir) => Directory = dir;

    public string Directory { get; }
    public EmbeddedQueue Queue { get; private set; } = null!;
    public SettingsCache Settings { get; private set; } = null!;
    public DeliveryEngine Engine { get; private set; } = null!;
    public OverviewCounters Counters { get; } = new();
    public SendLog SendLog { get; private set; } = null!;

    public static async Task<DeliveryHarness> StartAsync(IPEndPoint? peer, Action<SmtpClientOptions>? client = null, RetryPolicy? retry = null, Func<DeliveryOptions, DeliveryOptions>? options = null, DnsOptions? dns = null, int mxPort = 25)
    {
        var harness = new DeliveryHarness(System.IO.Directory.CreateTempSubdirectory("mq-engine-").FullName);
        var queue = EmbeddedQueue.Open(harness.Directory);
        harness.Queue = queue;
        var store = SettingsStoreFactory.OpenSqlite(Path.Combine(harness.Directory, "mailerq.sql"), null);
        await store.MigrateAsync();
        harness.Settings = await SettingsCache.StartAsync(store, SettingsCache.DefaultTtl);
        var queues = new ResultQueues { Results = "results", Success = "success", Failure = "failure", Retry = "retry" };
        harness.SendLog = new SendLog(Path.Combine(harness.Directory, "send.log"), TimeProvider.System);
        var router = new ResultRouter(retry ?? RetryPolicy.Default, queues, new DsnBuilder(new DsnOptions { HostName = "mta.test" }, TimeProvider.System), queue, harness.SendLog, TimeProvider.System);
        var template = new SmtpClientOptions { ConnectTimeout = TimeSpan.FromSeconds(5), GreetingTimeout = TimeSpan.FromSeconds(10) };
        client?.Invoke(template);
        var delivery = new DeliveryOptions
        {
            Sink = peer is null ? null : new Relay(peer.Address.ToString(), peer.Port, null, null),
            HostName = "mta.test",
            MaxInFlight = 100,
            ResumeInterval = TimeSpan.FromMilliseconds(200),
        };
        delivery = options?.Invoke(delivery) ?? delivery;
        harness.Engine = new DeliveryEngine(delivery, new DeliveryEngineParts
        {
            Outbox = new EmbeddedOutboxReader(queue),
            Publisher = queue,
            Settings = () => harness.Settings.Current,
            Dns = new MxResolver(dns ?? new DnsOptions(), TimeProvider.System, domain => harness.Settings.Current.DnsOverride(domain)),
            MxPort = mxPort,
            Sign = new DkimStage().Sign,
            Results = router,
            Retry = retry ?? RetryPolicy.Default,
            ResumeParked = token => queue.MoveAllAsync(delivery.ParkingQueue, QueueNames.Outbox, token),
            Counters = harness.Counters,
            ClientTemplate = template,
        });
        harness.Engine.Start();
        return harness;
    }

    /// <summary>Publishes an outbox message to the embedded outbox, as /v1/inject or RabbitMQ would deliver it.</summary>
    public async Task<string> InjectAsync(string recipient, string? extraJson = null, string? mime = null, string? id = null)
    {
        id ??= MessageIds.New();
        string json = $"{{\"envelope\":\"sender@example.com\",\"recipient\":\"{recipient}\"{(extraJson is null ? "" : "," + extraJson)}}}";
        mime ??= $"From: sender@example.com\r\nTo: {recipient}\r\nSubject: test {id}\r\nMessage-ID: <{id}@example.com>\r\n\r\nHello {id}\r\n";
        await Queue.PublishAsync(QueueNames.Outbox, id, Encoding.UTF8.GetBytes(json), Encoding.UTF8.GetBytes(mime), default);
        return id;
    }

    /// <summary>The JSON messages in a queue (results, success, failure, retry, outbox …).</summary>
    public List<JsonObject> Read(string queueName)
    {
        var list = new List<JsonObject>();
        if (!System.IO.Directory.Exists(Queue.QueueDirectory(queueName)))
            return list;
        foreach (var id in Queue.List(queueName))
        {
            var raw = QueueFile.ReadRaw(Queue.PathOf(queueName, id));
            if (raw is null)
                continue;
            var meta = JsonNode.Parse(raw.Value.Meta)!.AsObject();
            if (meta["outbox"] is JsonObject outbox)
                list.Add((JsonObject)outbox.DeepClone());
        }
        return list;
    }

    public async Task<List<JsonObject>> WaitForAsync(string queueName, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var found = Read(queueName);
            if (found.Count >= count)
                return found;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{found.Count} of {count} messages in {queueName}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await Settings.DisposeAsync();
        SendLog.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
