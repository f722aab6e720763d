using MailerQ.Www.Core.Config;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Core.Metrics;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Core.Tracing;
using MailerQ.Www.Smtp;
using MailerQ.Www.Smtp.Delivery;
using MailerQ.Www.Smtp.Delivery.Outbox;
using MailerQ.Www.Smtp.Delivery.Results;
using MailerQ.Www.Smtp.Dns;
using MailerQ.Www.Smtp.Queue;
using MailerQ.Www.Core.Delivery;

namespace MailerQ.Www.Host.Mail;

/// <summary>The delivery keys, read (and so validated, with file:line errors) before anything starts.</summary>
internal sealed record DeliveryConfig(DeliveryOptions Options, RetryPolicy Retry, ResultQueues Queues, DnsOptions Dns, DsnOptions Dsn, RabbitMqOptions? Rabbit, int Prefetch);

/// <summary>
/// The outbound half: the outbox reader and result publisher on the same back-end as inbound mail (embedded queue,
/// or RabbitMQ when <c>rabbitmq-address</c> is set), the settings snapshot, DNS, DKIM, the result router with its
/// send log, composed into one <see cref="DeliveryEngine"/>.
/// </summary>
internal sealed class DeliverySetup : IAsyncDisposable
{
    private DeliverySetup(DeliveryEngine engine, SendLog sendLog, IAsyncDisposable? reader, IOutboxInjector injector)
    {
        Engine = engine;
        SendLog = sendLog;
        _reader = reader;
        Injector = injector;
    }

    private readonly IAsyncDisposable? _reader;

    public DeliveryEngine Engine { get; }
    public SendLog SendLog { get; }
    public IOutboxInjector Injector { get; }

    public static DeliveryConfig Read(ConfigSet config, string hostName)
    {
        var options = DeliveryOptions.Read(config, hostName);
        var retry = RetryPolicy.Read(config);
        var queues = ResultQueues.Read(config);
        var dns = DnsOptions.FromConfig(config);
        var dsn = DsnOptions.Read(config, hostName);
        var rabbit = RabbitMqOptions.Read(config);
        return new DeliveryConfig(options, retry, queues, dns, dsn, rabbit, options.MaxInFlight);
    }

    /// <summary>Builds and starts delivery on the queue inbound mail goes to.</summary>
    public static async Task<DeliverySetup> StartAsync(DeliveryConfig delivery, ConfigSet config, IMessageQueue inbound, SettingsCache settings,
        OverviewCounters overview, TraceBus trace, SmtpServerOptions smtp, CancellationToken ct)
    {
        IOutboxReader reader;
        IQueuePublisher publisher;
        Func<CancellationToken, ValueTask<int>> resume;
        string outbox = delivery.Queues.Outbox;
        string parking = delivery.Options.ParkingQueue;
        if (delivery.Rabbit is { } rabbit)
        {
            var rmq = new RabbitMqOutbox(rabbit, outbox, delivery.Prefetch);
            // The broker may be down at start: delivery waits for it (inbound answers 451 meanwhile) instead of exiting.
            _ = ConnectUntilUpAsync(rmq, ct);
            reader = rmq;
            publisher = rmq;
            resume = token => rmq.MoveAllAsync(parking, outbox, token);
        }
        else
        {
            var embedded = (EmbeddedQueue)inbound;
            reader = new EmbeddedOutboxReader(embedded, outbox);
            publisher = embedded;
            resume = token => embedded.MoveAllAsync(parking, outbox, token);
        }
        var sendLog = SendLog.Open(config, TimeProvider.System);
        var router = new ResultRouter(delivery.Retry, delivery.Queues, new DsnBuilder(delivery.Dsn, TimeProvider.System), publisher, sendLog, TimeProvider.System);
        var dkim = new DkimStage();
        var engine = new DeliveryEngine(delivery.Options, new DeliveryEngineParts
        {
            Outbox = reader,
            Publisher = publisher,
            Settings = () => settings.Current,
            Dns = new MxResolver(delivery.Dns, TimeProvider.System, domain => settings.Current.DnsOverride(domain)),
            Results = router,
            Retry = delivery.Retry,
            ResumeParked = resume,
            Counters = overview,
            Sign = dkim.Sign,
            Trace = new SmtpTraceAdapter(trace),
            Sessions = smtp.Sessions,
        });
        engine.Start();
        return new DeliverySetup(engine, sendLog, reader, new OutboxInjector(publisher, outbox));
    }

    private static async Task ConnectUntilUpAsync(RabbitMqOutbox outbox, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await outbox.StartAsync(ct).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.Warning("delivery", "cannot reach RabbitMQ for the outbox; retrying", $"retry_in_ms={(long)delay.TotalMilliseconds} error={Log.Quote(e.Message)}");
            }
            try
            {
                await Task.Delay(delay, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync().ConfigureAwait(false);
        if (_reader is not null)
            await _reader.DisposeAsync().ConfigureAwait(false);
        SendLog.Dispose();
    }
}
