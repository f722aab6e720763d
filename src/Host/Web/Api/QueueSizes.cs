using MailerQ.Www.Smtp.Queue;

namespace MailerQ.Www.Host.Web.Api;

/// <summary>
/// Messages waiting per queue name, for <c>/api/stats</c> "queue" and <c>/metrics</c>. The embedded queue counts
/// files by listing directories, which costs time on a long queue, so a count is reused for one second
/// however many consoles poll. RabbitMQ keeps its queues itself; the broker's own tools report those, and
/// the list is empty here.
/// </summary>
internal sealed class QueueSizes(IMessageQueue queue, TimeProvider? time = null)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private (string Name, long Count)[] _last = [];
    private DateTimeOffset _at = DateTimeOffset.MinValue;

    /// <summary>Name and message count of each queue, in MailerQ's order (outbox, inbox, results, …).</summary>
    public (string Name, long Count)[] Read()
    {
        if (queue is not EmbeddedQueue embedded) return [];
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (now - _at < MaxAge) return _last;
            var names = new List<string>(QueueNames.All);
            if (!names.Contains(embedded.InboxQueue)) names.Add(embedded.InboxQueue);
            var result = new (string, long)[names.Count];
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
                result[i] = (names[i], count);
            }
            _last = result;
            _at = now;
            return result;
        }
    }
}
