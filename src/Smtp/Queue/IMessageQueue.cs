namespace MailerQ.Www.Smtp.Queue;

/// <summary>
/// Where accepted mail goes. <see cref="CommitAsync"/> returns only once the message is durable (fsync'd,
/// or confirmed by the broker), because the 250 after DATA is sent right after it (CONTRACT.md "Mail").
/// Failures throw; the session answers 451 and the client keeps the message.
/// </summary>
internal interface IMessageQueue
{
    /// <summary>Starts a message with a fresh id.</summary>
    IMessageDraft BeginMessage();

    /// <summary>Makes the draft durable together with its envelope; the draft is consumed either way.</summary>
    /// <param name="resumeOnCommitter">
    /// The caller's continuation may run on the thread that made the message durable (the embedded queue's journal
    /// writer) instead of being handed to the thread pool: one wake-up less per message. Only for a caller whose
    /// continuation never blocks and never waits for the queue (it would wait for itself): the SMTP session.
    /// </param>
    ValueTask CommitAsync(IMessageDraft draft, InboundMessage message, CancellationToken ct, bool resumeOnCommitter = false);
}
