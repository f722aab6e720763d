using MailerQ.Www.Smtp.Protocol;

namespace MailerQ.Www.Smtp.Queue;

/// <summary>
/// A message being received: the session writes the MIME into it as it arrives (the one copy), then commits
/// or disposes it. Disposing an uncommitted draft discards it.
/// </summary>
internal interface IMessageDraft : IMessageSink, IDisposable
{
    string Id { get; }

    long Length { get; }

    /// <summary>Copies up to <paramref name="buffer"/>.Length bytes from the start of the message (for header extraction).</summary>
    int ReadHead(Span<byte> buffer);
}
