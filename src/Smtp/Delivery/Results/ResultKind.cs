namespace MailerQ.Www.Smtp.Delivery.Results;

/// <summary>What became of a message after an attempt.</summary>
internal enum ResultKind
{
    /// <summary>Accepted by the remote: published to results and success.</summary>
    Delivered,

    /// <summary>Given up (permanent failure, or out of attempts or time): published to results and failure.</summary>
    Failed,

    /// <summary>Temporary failure: back in the outbox with <c>nextattempt</c>, and on the retry queue.</summary>
    Retried,
}
