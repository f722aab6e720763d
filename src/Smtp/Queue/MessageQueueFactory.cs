using MailerQ.Www.Core.Config;
using MailerQ.Www.Core.Logging;

namespace MailerQ.Www.Smtp.Queue;

/// <summary>Picks the back-end as CONTRACT.md says: <c>rabbitmq-address</c> set → RabbitMQ, unset → the embedded queue.</summary>
internal static class MessageQueueFactory
{
    /// <summary>Reads the <c>rabbitmq-*</c> keys (errors go to the config's diagnostics) and opens the queue.</summary>
    public static IMessageQueue Create(ConfigSet config, string dataDirectory)
    {
        var rabbit = RabbitMqOptions.Read(config);
        if (rabbit is not null)
        {
            Log.Info("queue", "inbound mail goes to RabbitMQ", $"queue={rabbit.Inbox} encoding={(rabbit.Gzip ? "gzip" : "none")}");
            return new RabbitMqQueue(rabbit, dataDirectory);
        }
        string inbox = config.Get("rabbitmq-inbox") is { Length: > 0 } named ? named : config.GetString("rabbitmq-outbox", QueueNames.Outbox);
        var queue = EmbeddedQueue.Open(dataDirectory, inbox);
        Log.Info("queue", "inbound mail goes to the embedded queue", $"directory={Log.Quote(queue.QueueDirectory(inbox))}");
        return queue;
    }
}
