using System.Text;
using MailerQ.Www.Smtp.Delivery.Messages;
using MailerQ.Www.Smtp.Queue;
using MailerQ.Www.Core.Delivery;

namespace MailerQ.Www.Smtp.Delivery;

/// <summary>
/// <c>POST /v1/inject</c>'s way into the outbox: the JSON is checked the way the engine will read it, its
/// <c>mime</c> is taken out (the embedded queue keeps it beside the JSON), and it is published durably.
/// </summary>
internal sealed class OutboxInjector(IQueuePublisher publisher, string outbox) : IOutboxInjector
{
    public async ValueTask<string> InjectAsync(ReadOnlyMemory<byte> outboxJson, CancellationToken cancellationToken)
    {
        string id = MessageIds.New();
        var message = OutboxJson.Parse(id, outboxJson.Span, out string? error)
            ?? throw new ArgumentException(error);
        byte[] json = Encoding.UTF8.GetBytes(message.Json.ToJsonString());
        await publisher.PublishAsync(outbox, id, json, message.Mime, cancellationToken).ConfigureAwait(false);
        return id;
    }
}
