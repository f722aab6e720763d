using System.Text.Json.Nodes;
using MailerQ.Www.Core.Config;
using MailerQ.Www.Smtp.Delivery.Messages;
using MailerQ.Www.Smtp.Queue;

namespace MailerQ.Www.Smtp.Delivery.Results;

/// <summary>
/// Where results go (5.13/rabbitmq-config.md "Result queues"): <c>rabbitmq-results</c>, <c>-success</c>,
/// <c>-failure</c> and <c>-retry</c> are empty by default, and an empty name means "not published";
/// <c>rabbitmq-dsn</c> defaults to the outbox, so bounces are delivered like any message; retries go back to
/// <c>rabbitmq-outbox</c>. A message's <c>queues</c> object overrides per queue: a missing member keeps the
/// config's name, JSON null (or "") publishes nowhere, a string names the queue.
/// </summary>
internal sealed class ResultQueues
{
    /// <summary><c>rabbitmq-outbox</c>, where temporarily failed messages are put back.</summary>
    public string Outbox { get; init; } = QueueNames.Outbox;

    public string? Results { get; init; }
    public string? Success { get; init; }
    public string? Failure { get; init; }
    public string? Retry { get; init; }

    /// <summary><c>rabbitmq-dsn</c>; defaults to the outbox.</summary>
    public string? Dsn { get; init; } = QueueNames.Outbox;

    /// <summary>Reads the <c>rabbitmq-*</c> queue names (the same keys whether the back-end is RabbitMQ or embedded).</summary>
    public static ResultQueues Read(ConfigSet config)
    {
        ArgumentNullException.ThrowIfNull(config);
        string outbox = config.GetString("rabbitmq-outbox", QueueNames.Outbox);
        if (outbox.Length == 0)
        {
            config.Report(config.Last("rabbitmq-outbox")!, "must not be empty");
            outbox = QueueNames.Outbox;
        }
        return new ResultQueues
        {
            Outbox = outbox,
            Results = NameOrNull(config.Get("rabbitmq-results")),
            Success = NameOrNull(config.Get("rabbitmq-success")),
            Failure = NameOrNull(config.Get("rabbitmq-failure")),
            Retry = NameOrNull(config.Get("rabbitmq-retry")),
            // Unset: the outbox (rabbitmq-config.md). Set but empty: the operator turned bounces off.
            Dsn = config.Get("rabbitmq-dsn") is { } dsn ? NameOrNull(dsn) : outbox,
        };
    }

    /// <summary>The queue <paramref name="message"/> publishes <paramref name="which"/> results to, or null for none.</summary>
    public string? Resolve(OutboxMessage message, ResultQueue which)
    {
        ArgumentNullException.ThrowIfNull(message);
        string member = which switch
        {
            ResultQueue.Results => "results",
            ResultQueue.Success => "success",
            ResultQueue.Failure => "failure",
            ResultQueue.Retry => "retry",
            _ => "dsn",
        };
        if (message.Queues is JsonObject queues && queues.TryGetPropertyValue(member, out var node))
            return node is JsonValue v && v.TryGetValue(out string? name) ? NameOrNull(name) : null;
        return which switch
        {
            ResultQueue.Results => Results,
            ResultQueue.Success => Success,
            ResultQueue.Failure => Failure,
            ResultQueue.Retry => Retry,
            _ => Dsn,
        };
    }

    private static string? NameOrNull(string? name) => string.IsNullOrWhiteSpace(name) ? null : name.Trim();
}
