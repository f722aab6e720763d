namespace MailerQ.Www.Smtp.Delivery.Results;

/// <summary>The result queues a message's <c>queues</c> object may override (5.13/json-messages.md).</summary>
internal enum ResultQueue
{
    Results,
    Success,
    Failure,
    Retry,
    Dsn,
}
