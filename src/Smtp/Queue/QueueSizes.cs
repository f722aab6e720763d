using MailerQ.Www.Core.Messages;

namespace MailerQ.Www.Smtp.Queue;

/// <summary>
/// Messages waiting per queue name, for <c>/api/stats</c> "queue" and <c>/metrics</c>. The embedded queue counts
/// files by listing directories, which costs time on a long queue, so a count is reused for one second
/// however many consoles poll. RabbitMQ keeps its queues itself; the broker's own tools report those, and
/// the list is empty here.
/// </summary>
internal sealed class QueueSizes(IMessageQueue queue, TimeProvider? time = null) : IQueueSizes
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private QueueSize[] _last = [];
    private DateTimeOffset _at = DateTimeOffset.MinValue;

    /// <summary>Name and message count of each queue, in MailerQ's order (outbox, inbox, results, …).</summary>
    public IReadOnlyList<QueueSize> Read()
    {
        if (queue is not EmbeddedQueue embedded) return [];
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (now - _at < MaxAge) return _last;
            var names = new List<string>(QueueNames.All);
            if (!names.Contains(embedded.InboxQueue)) names.Add(embedded.InboxQueue);
            var result = new QueueSize[names.Count];
            for (int i = 0; i < names.Count; i++)
            {
                long count;
                try
                {
                    count = embedded.Count(names[i]);
                }
                catch (DirectoryNotFoundException)
                {
                    count = 0;
                }
                result[i] = new QueueSize(names[i], count);
            }
            _last = result;
            _at = now;
            return result;
        }
    }
}
