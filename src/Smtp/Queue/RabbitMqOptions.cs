using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Smtp.Queue;

/// <summary>The <c>rabbitmq-*</c> keys the inbound side uses (5.13/rabbitmq-config.md).</summary>
internal sealed class RabbitMqOptions
{
    /// <summary><c>rabbitmq-address</c>, e.g. <c>amqp://user:pass@host:5672/vhost</c>.</summary>
    public required string Address { get; init; }

    /// <summary><c>rabbitmq-exchange</c>: "" (the default exchange routes by queue name).</summary>
    public string Exchange { get; init; } = "";

    /// <summary><c>rabbitmq-inbox</c>, which defaults to <c>rabbitmq-outbox</c> (MailerQ: inbound mail goes straight out).</summary>
    public string Inbox { get; init; } = QueueNames.Outbox;

    /// <summary><c>rabbitmq-declare</c>: declare the queue on connect.</summary>
    public bool Declare { get; init; } = true;

    /// <summary><c>rabbitmq-durable</c>: declared queues survive a broker restart.</summary>
    public bool Durable { get; init; } = true;

    /// <summary><c>rabbitmq-persistent</c>: messages are written to the broker's disk (MailerQ's default: false).</summary>
    public bool Persistent { get; init; }

    /// <summary><c>rabbitmq-encoding</c>: gzip (MailerQ's default) or none.</summary>
    public bool Gzip { get; init; } = true;

    /// <summary>How long a publish may wait for the broker's confirm before the client gets 451.</summary>
    public TimeSpan ConfirmTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Null when <c>rabbitmq-address</c> is unset (embedded queue, CONTRACT.md).</summary>
    public static RabbitMqOptions? Read(ConfigSet config)
    {
        string? address = config.Get("rabbitmq-address");
        if (string.IsNullOrEmpty(address))
            return null;
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != "amqp" && uri.Scheme != "amqps"))
        {
            config.Report(config.Last("rabbitmq-address")!, $"{ConfigText.Quote(address)} is not an amqp:// or amqps:// address");
            return null;
        }
        string outbox = config.GetString("rabbitmq-outbox", QueueNames.Outbox);
        string? encoding = config.Get("rabbitmq-encoding");
        return new RabbitMqOptions
        {
            Address = address,
            Exchange = config.GetString("rabbitmq-exchange", ""),
            Inbox = string.IsNullOrEmpty(config.Get("rabbitmq-inbox")) ? outbox : config.Get("rabbitmq-inbox")!,
            Declare = config.GetBool("rabbitmq-declare", true),
            Durable = config.GetBool("rabbitmq-durable", true),
            Persistent = config.GetBool("rabbitmq-persistent", false),
            Gzip = encoding is null || encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase),
        };
    }
}
