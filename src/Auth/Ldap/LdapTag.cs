namespace MailerQ.Www.Auth.Ldap;

/// <summary>BER tags of the few LDAP elements used for a bind (RFC 4511 §4 and Appendix B).</summary>
internal static class LdapTag
{
    public const byte Integer = 0x02;
    public const byte OctetString = 0x04;
    public const byte Null = 0x05;
    public const byte Enumerated = 0x0A;
    public const byte Sequence = 0x30;

    /// <summary>BindRequest ::= [APPLICATION 0] SEQUENCE (§4.2).</summary>
    public const byte BindRequest = 0x60;
    /// <summary>BindResponse ::= [APPLICATION 1] SEQUENCE (§4.2.2).</summary>
    public const byte BindResponse = 0x61;
    /// <summary>UnbindRequest ::= [APPLICATION 2] NULL (§4.3).</summary>
    public const byte UnbindRequest = 0x42;
    /// <summary>ExtendedRequest ::= [APPLICATION 23] SEQUENCE (§4.12).</summary>
    public const byte ExtendedRequest = 0x77;
    /// <summary>ExtendedResponse ::= [APPLICATION 24] SEQUENCE (§4.12).</summary>
    public const byte ExtendedResponse = 0x78;

    /// <summary>AuthenticationChoice simple [0] OCTET STRING (§4.2).</summary>
    public const byte SimpleAuthentication = 0x80;
    /// <summary>ExtendedRequest requestName [0] LDAPOID.</summary>
    public const byte ExtendedRequestName = 0x80;
    /// <summary>ExtendedResponse responseName [10] LDAPOID.</summary>
    public const byte ExtendedResponseName = 0x8A;
}
