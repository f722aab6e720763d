namespace MailerQ.Www.Smtp.Delivery.Outbox;

/// <summary>Hands out due outbox messages one at a time (the embedded queue or RabbitMQ).</summary>
internal interface IOutboxReader : IAsyncDisposable
{
    /// <summary>Waits for the next message that is due (its <c>nextattempt</c> has passed).</summary>
    ValueTask<OutboxLease> TakeAsync(CancellationToken ct);

    /// <summary>Messages waiting (due or delayed) and messages taken but not completed.</summary>
    long Waiting { get; }
    long InFlight { get; }
}
