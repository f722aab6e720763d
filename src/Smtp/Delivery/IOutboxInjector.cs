namespace MailerQ.Www.Smtp.Delivery;

/// <summary>
/// Puts one MailerQ outbox message (5.13/json-messages.md, already validated as a JSON object with
/// <c>recipient</c> and <c>mime</c> or <c>key</c>, with the <c>http</c> property added) on the queue, the way
/// <c>POST /v1/inject</c> does (5.13/rest-api-v1-inject.md: "published to the inbox queue").
/// </summary>
internal interface IOutboxInjector
{
    /// <summary>Publishes the message durably and returns its message id (the one MailerQ reports back).</summary>
    ValueTask<string> InjectAsync(ReadOnlyMemory<byte> outboxJson, CancellationToken cancellationToken);
}
