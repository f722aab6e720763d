using System.Buffers;

namespace MailerQ.Www.Smtp;

/// <summary>
/// Receives every byte read from and written to each SMTP connection (after TLS decryption), for the
/// console's live view. The host adapts it to Core's trace bus.
/// </summary>
/// <remarks>
/// Called on the connection's I/O path: implementations must copy what they keep and must not block.
/// <see cref="IsEnabled"/> is read before every call, so nothing is done when nobody subscribes.
/// </remarks>
internal interface ISmtpTrace
{
    bool IsEnabled { get; }

    void OnBytes(long sessionId, bool fromClient, ReadOnlySequence<byte> bytes);

    /// <summary>
    /// The same with what the console filters on: whether we are the SMTP client (<paramref name="outbound"/>)
    /// and the peer's address (no port). Sinks that do not care keep the three-argument form.
    /// </summary>
    void OnBytes(long sessionId, bool fromClient, ReadOnlySequence<byte> bytes, bool outbound, string? peer) =>
        OnBytes(sessionId, fromClient, bytes);
}
