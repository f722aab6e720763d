using System.Buffers;

namespace MailerQ.Www.Smtp;

/// <summary>The trace when nobody listens.</summary>
internal sealed class NullSmtpTrace : ISmtpTrace
{
    public static NullSmtpTrace Instance { get; } = new();

    public bool IsEnabled => false;

    public void OnBytes(long sessionId, bool fromClient, ReadOnlySequence<byte> bytes)
    {
    }
}
