namespace MailerQ.Www.Auth.Ldap.Ber;

/// <summary>What a BER read found at the start of a buffer.</summary>
internal enum BerStatus : byte
{
    /// <summary>The element is not complete yet: read more bytes.</summary>
    NeedMore,
    /// <summary>A whole element was read.</summary>
    Done,
    /// <summary>The bytes are not valid BER for LDAP (RFC 4511 §5.1), or not the element expected.</summary>
    Malformed,
    /// <summary>The element is longer than the caller's limit; never buffered.</summary>
    TooLarge,
}
