using MailerQ.Www.Smtp.Delivery.Messages;

namespace MailerQ.Www.Smtp.Delivery.Outbox;

/// <summary>
/// A message taken from the outbox. The engine completes it exactly once, after the message's fate is durable
/// elsewhere (delivered and reported, re-published for a retry, parked, or failed and reported); until then
/// it stays in the outbox and a crash re-delivers it (at-least-once, CONTRACT.md "Mail").
/// </summary>
internal sealed class OutboxLease
{
    private readonly Func<OutboxLease, ValueTask> _complete;
    private int _done;

    public OutboxLease(OutboxMessage message, Func<OutboxLease, ValueTask> complete)
    {
        Message = message;
        _complete = complete;
    }

    public OutboxMessage Message { get; }

    /// <summary>Removes the message from the outbox (idempotent).</summary>
    public ValueTask CompleteAsync() => Interlocked.Exchange(ref _done, 1) == 0 ? _complete(this) : ValueTask.CompletedTask;
}
