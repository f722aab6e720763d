namespace MailerQ.Www.Auth.Radius;

/// <summary>Why a datagram is, or is not, the reply to our Access-Request.</summary>
internal enum RadiusReplyStatus : byte
{
    /// <summary>Authentic reply: Response Authenticator and Message-Authenticator both verified.</summary>
    Valid,
    /// <summary>Shorter than the 20-byte header, or than its own Length field (RFC 2865 §3: silently discarded).</summary>
    TooShort,
    /// <summary>The Length field is below 20 or above 4096.</summary>
    BadLength,
    /// <summary>Not Access-Accept, Access-Reject or Access-Challenge.</summary>
    UnexpectedCode,
    /// <summary>The Identifier is not that of our request (a late reply to another one, or a forgery).</summary>
    WrongId,
    /// <summary>Attributes overrun the packet, or an attribute length is below 2.</summary>
    MalformedAttributes,
    /// <summary>MD5(Code+ID+Length+RequestAuth+Attributes+Secret) does not match (RFC 2865 §3): wrong secret or forgery.</summary>
    BadResponseAuthenticator,
    /// <summary>No Message-Authenticator, or more than one; required in replies (BlastRADIUS hardening).</summary>
    MissingMessageAuthenticator,
    /// <summary>The HMAC-MD5 of the reply does not match (RFC 3579 §3.2).</summary>
    BadMessageAuthenticator,
}
