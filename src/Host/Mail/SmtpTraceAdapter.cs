using System.Buffers;
using MailerQ.Www.Core.Tracing;
using MailerQ.Www.Smtp;

namespace MailerQ.Www.Host.Mail;

/// <summary>Every SMTP byte onto the console's trace bus; nothing is done while no browser subscribes.</summary>
internal sealed class SmtpTraceAdapter(TraceBus bus) : ISmtpTrace
{
    public bool IsEnabled => bus.SubscriberCount > 0;

    public void OnBytes(long sessionId, bool fromClient, ReadOnlySequence<byte> bytes) =>
        bus.Publish(sessionId, fromClient ? TraceDirection.ClientToServer : TraceDirection.ServerToClient, bytes);

    /// <summary>With the outbound flag and the peer, so <c>{"subscribe":"smtp","direction":…,"peer":…}</c> filters work.</summary>
    public void OnBytes(long sessionId, bool fromClient, ReadOnlySequence<byte> bytes, bool outbound, string? peer) =>
        bus.Publish(sessionId, fromClient ? TraceDirection.ClientToServer : TraceDirection.ServerToClient, bytes,
            outbound ? TraceFlags.Outbound : TraceFlags.None, peer);
}
