namespace MailerQ.Www.Core.Messages;

/// <summary>
/// Kept messages by id, for the console's message view (<c>/api/messages/{id}</c>, <c>/render/{id}</c>). The ids are
/// the <c>messageId</c>s recorded in <see cref="Sessions.SessionRecord.Accepted"/>. Without one, those routes answer 404.
/// </summary>
public interface IMessageSource
{
    /// <summary>The raw MIME of message <paramref name="id"/>, or null when the id is malformed, unknown or evicted.</summary>
    byte[]? ReadRaw(string id);
}
