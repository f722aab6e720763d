namespace MailerQ.Www.Core.Messages;

/// <summary>Messages waiting per queue, for <c>/api/stats</c> "queue" and <c>/metrics</c>; without one both list none.</summary>
public interface IQueueSizes
{
    /// <summary>Name and message count of each queue, in the order the console shows them. Called per request: cache if counting is slow.</summary>
    IReadOnlyList<QueueSize> Read();
}
