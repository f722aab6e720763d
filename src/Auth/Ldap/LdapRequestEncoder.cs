using MailerQ.Www.Auth.Ldap.Ber;

namespace MailerQ.Www.Auth.Ldap;

/// <summary>
/// Encodes the three requests a login needs (RFC 4511): a simple BindRequest, the StartTLS
/// ExtendedRequest (RFC 4511 §4.14) and an UnbindRequest. Each method returns the bytes written into a
/// span the caller sized with the matching <c>*Size</c> method.
/// </summary>
internal static class LdapRequestEncoder
{
    /// <summary>The StartTLS extended operation (RFC 4511 §4.14.1).</summary>
    public static ReadOnlySpan<byte> StartTlsOid => "1.3.6.1.4.1.1466.20037"u8;

    // RFC 4511 §4.2: "version ... is 3".
    private const int ProtocolVersion = 3;

    /// <summary>Bytes of a simple BindRequest message.</summary>
    public static int SimpleBindSize(int messageId, int dnLength, int passwordLength) =>
        BerWriter.TlvSize(MessageContentSize(messageId, BerWriter.TlvSize(BindContentSize(dnLength, passwordLength))));

    /// <summary>
    /// LDAPMessage { messageID, BindRequest { version 3, name, simple password } }. The caller refuses an
    /// empty password first: with it this would be an unauthenticated bind (RFC 4513 §5.1.2).
    /// </summary>
    public static int WriteSimpleBind(Span<byte> destination, int messageId, ReadOnlySpan<byte> dn, ReadOnlySpan<byte> password)
    {
        int bindContent = BindContentSize(dn.Length, password.Length);
        var writer = new BerWriter(destination);
        writer.WriteHeader(LdapTag.Sequence, MessageContentSize(messageId, BerWriter.TlvSize(bindContent)));
        writer.WriteInteger(LdapTag.Integer, messageId);
        writer.WriteHeader(LdapTag.BindRequest, bindContent);
        writer.WriteInteger(LdapTag.Integer, ProtocolVersion);
        writer.WriteOctets(LdapTag.OctetString, dn);
        writer.WriteOctets(LdapTag.SimpleAuthentication, password);
        return writer.Written;
    }

    /// <summary>Bytes of the StartTLS ExtendedRequest message.</summary>
    public static int StartTlsSize(int messageId) =>
        BerWriter.TlvSize(MessageContentSize(messageId, BerWriter.TlvSize(BerWriter.TlvSize(StartTlsOid.Length))));

    /// <summary>LDAPMessage { messageID, ExtendedRequest { requestName 1.3.6.1.4.1.1466.20037 } }.</summary>
    public static int WriteStartTls(Span<byte> destination, int messageId)
    {
        int extendedContent = BerWriter.TlvSize(StartTlsOid.Length);
        var writer = new BerWriter(destination);
        writer.WriteHeader(LdapTag.Sequence, MessageContentSize(messageId, BerWriter.TlvSize(extendedContent)));
        writer.WriteInteger(LdapTag.Integer, messageId);
        writer.WriteHeader(LdapTag.ExtendedRequest, extendedContent);
        writer.WriteOctets(LdapTag.ExtendedRequestName, StartTlsOid);
        return writer.Written;
    }

    /// <summary>Bytes of an UnbindRequest message.</summary>
    public static int UnbindSize(int messageId) => BerWriter.TlvSize(MessageContentSize(messageId, BerWriter.TlvSize(0)));

    /// <summary>LDAPMessage { messageID, UnbindRequest NULL }.</summary>
    public static int WriteUnbind(Span<byte> destination, int messageId)
    {
        var writer = new BerWriter(destination);
        writer.WriteHeader(LdapTag.Sequence, MessageContentSize(messageId, BerWriter.TlvSize(0)));
        writer.WriteInteger(LdapTag.Integer, messageId);
        writer.WriteHeader(LdapTag.UnbindRequest, 0);
        return writer.Written;
    }

    private static int MessageContentSize(int messageId, int operationSize) =>
        BerWriter.TlvSize(BerWriter.IntegerSize(messageId)) + operationSize;

    private static int BindContentSize(int dnLength, int passwordLength) =>
        BerWriter.TlvSize(BerWriter.IntegerSize(ProtocolVersion)) + BerWriter.TlvSize(dnLength) + BerWriter.TlvSize(passwordLength);
}
