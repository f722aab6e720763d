namespace MailerQ.Www.Smtp.Client;

/// <summary>
/// MailerQ's per-message <c>security</c> (5.12+): how hard the client insists on STARTTLS. docs/delivery.md, "TLS".
/// </summary>
internal enum DeliverySecurity
{
    /// <summary>STARTTLS when offered; a failed handshake makes the client reconnect and send in plain text.</summary>
    Optional,

    /// <summary>STARTTLS when offered, certificate not checked; a failed handshake is a temporary error.</summary>
    Opportunistic,

    /// <summary>The peer must offer STARTTLS and the handshake must succeed (any certificate).</summary>
    Required,

    /// <summary><see cref="Required"/> plus a verified chain and host name.</summary>
    Verified,
}
