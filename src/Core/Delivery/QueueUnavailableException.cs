namespace MailerQ.Www.Core.Delivery;

/// <summary>
/// Thrown by an <see cref="IOutboxInjector"/> when the queue cannot take the message now (broker down, disk full);
/// <c>POST /v1/inject</c> answers 503 and the client may retry.
/// </summary>
public class QueueUnavailableException : Exception
{
    /// <summary>With a default message.</summary>
    public QueueUnavailableException()
        : base("the queue is unavailable")
    {
    }

    /// <summary>With the reason, shown to the client.</summary>
    public QueueUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>With the reason and the error behind it.</summary>
    public QueueUnavailableException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}
