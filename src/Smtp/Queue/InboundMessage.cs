using System.Net;

namespace MailerQ.Www.Smtp.Queue;

/// <summary>What the session knows about an accepted message besides its MIME: MailerQ's inbound JSON fields (5.13/json-incoming.md).</summary>
internal sealed class InboundMessage
{
    /// <summary>Our message id, returned in the 250 after DATA and used by the console (<c>/api/messages/{id}</c>).</summary>
    public required string Id { get; init; }
    public required string Envelope { get; init; }
    public required IReadOnlyList<InboundRecipient> Recipients { get; init; }
    public required DateTimeOffset Received { get; init; }
    public required string HostName { get; init; }
    public IPEndPoint? Local { get; init; }
    public IPEndPoint? Remote { get; init; }
    public bool Secure { get; init; }
    public string? User { get; init; }
    public string? Ret { get; init; }
    public string? EnvId { get; init; }
    public bool SmtpUtf8 { get; init; }
    public bool EightBitMime { get; init; }

    /// <summary>Properties from <c>x-mq-*</c> headers as raw JSON values, when <c>smtp-extract</c> is on.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Extracted { get; init; } = [];
}
