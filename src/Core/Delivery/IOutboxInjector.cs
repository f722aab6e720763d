namespace MailerQ.Www.Core.Delivery;

/// <summary>
/// Puts one MailerQ outbox message (5.13/json-messages.md, already validated as a JSON object with
/// <c>recipient</c> and <c>mime</c> or <c>key</c>, with the <c>http</c> property added) on the queue, the way
/// <c>POST /v1/inject</c> does (5.13/rest-api-v1-inject.md: "published to the inbox queue").
/// Without one, <c>/v1/inject</c> answers 503.
/// </summary>
public interface IOutboxInjector
{
    /// <summary>
    /// Publishes the message durably and returns its message id (the one MailerQ reports back). Throws
    /// <see cref="ArgumentException"/> for a message it cannot use (answered 400) and <see cref="QueueUnavailableException"/>,
    /// an <see cref="IOException"/> or <see cref="InvalidOperationException"/> when the queue cannot take it now (answered 503).
    /// </summary>
    ValueTask<string> InjectAsync(ReadOnlyMemory<byte> outboxJson, CancellationToken cancellationToken);
}
