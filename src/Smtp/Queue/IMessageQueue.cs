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
    ValueTask CommitAsync(IMessageDraft draft, InboundMessage message, CancellationToken ct);
}
