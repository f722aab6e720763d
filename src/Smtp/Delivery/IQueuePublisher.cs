namespace MailerQ.Www.Smtp.Delivery;

/// <summary>
/// Publishes MailerQ JSON messages to a named queue (outbox, results, success, failure, retry, dsn …) on the
/// configured back-end. The MIME travels beside the JSON: the embedded queue stores it as the file's MIME
/// part, RabbitMQ gets it inlined as the <c>mime</c> property. Returns once the message is durable.
/// </summary>
internal interface IQueuePublisher
{
    /// <param name="queue">Queue name (MailerQ's names, or a per-message <c>queues</c> override).</param>
    /// <param name="id">The message id (the file name in the embedded queue; AMQP message-id).</param>
    /// <param name="json">A JSON object without a <c>mime</c> property.</param>
    /// <param name="mime">The message, or empty for none (results without <c>keepmime</c>).</param>
    ValueTask PublishAsync(string queue, string id, ReadOnlyMemory<byte> json, ReadOnlyMemory<byte> mime, CancellationToken ct);
}
