using System.Text;
using MailerQ.Www.Auth.Ldap.Ber;

namespace MailerQ.Www.Auth.Ldap;

/// <summary>
/// Decodes one LDAPMessage carrying a BindResponse or an ExtendedResponse (RFC 4511 §4.2.2, §4.12) from
/// the start of a receive buffer. The outer length is checked against
/// <see cref="LdapLimits.MaxResponseBytes"/> before anything is buffered; inner elements must nest exactly.
/// </summary>
internal static class LdapResponseDecoder
{
    /// <summary>
    /// <see cref="BerStatus.Done"/> with the response and the bytes it used, <see cref="BerStatus.NeedMore"/>
    /// while the message is incomplete, else why it can never be decoded.
    /// </summary>
    public static BerStatus Decode(ReadOnlySpan<byte> buffer, out LdapResponse response, out int consumed)
    {
        response = default;
        consumed = 0;
        var header = BerReader.ReadHeader(buffer, LdapLimits.MaxResponseBytes, out byte tag, out int headerLength, out int contentLength);
        if (header != BerStatus.Done)
            return header;
        if (tag != LdapTag.Sequence)
            return BerStatus.Malformed;
        if (buffer.Length < headerLength + contentLength)
            return BerStatus.NeedMore;

        var message = new BerReader(buffer.Slice(headerLength, contentLength));
        if (!message.TryRead(LdapTag.Integer, out var idContent) || !BerReader.TryDecodeInt32(idContent, out int messageId) || messageId < 0)
            return BerStatus.Malformed;
        if (!message.TryRead(out byte operation, out var operationContent))
            return BerStatus.Malformed;
        if (operation is not (LdapTag.BindResponse or LdapTag.ExtendedResponse))
            return BerStatus.Malformed;
        // Anything after the protocolOp is Controls [0] (§4.1.11), which a bind ignores; it must still be well-formed.
        while (!message.IsEmpty)
        {
            if (!message.TryRead(out _, out _))
                return BerStatus.Malformed;
        }

        var result = new BerReader(operationContent);
        if (!result.TryRead(LdapTag.Enumerated, out var codeContent) || !BerReader.TryDecodeInt32(codeContent, out int resultCode) || resultCode < 0)
            return BerStatus.Malformed;
        if (!result.TryRead(LdapTag.OctetString, out _)) // matchedDN
            return BerStatus.Malformed;
        if (!result.TryRead(LdapTag.OctetString, out var diagnostic))
            return BerStatus.Malformed;
        string? responseName = null;
        // Then optional referral [3], serverSaslCreds [7] (bind) or responseName [10] / responseValue [11] (extended).
        while (!result.IsEmpty)
        {
            if (!result.TryRead(out byte optionalTag, out var optional))
                return BerStatus.Malformed;
            if (operation == LdapTag.ExtendedResponse && optionalTag == LdapTag.ExtendedResponseName)
                responseName = Encoding.ASCII.GetString(optional.Length > LdapLimits.MaxDiagnosticChars ? optional[..LdapLimits.MaxDiagnosticChars] : optional);
        }

        response = new LdapResponse(messageId, operation, resultCode, DecodeDiagnostic(diagnostic), responseName);
        consumed = headerLength + contentLength;
        return BerStatus.Done;
    }

    private static string DecodeDiagnostic(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty)
            return string.Empty;
        // Lenient UTF-8 (replacement characters): the text only goes to the operator's log, quoted there.
        string decoded = Encoding.UTF8.GetString(text.Length > LdapLimits.MaxDiagnosticChars * 4 ? text[..(LdapLimits.MaxDiagnosticChars * 4)] : text);
        return decoded.Length > LdapLimits.MaxDiagnosticChars ? decoded[..LdapLimits.MaxDiagnosticChars] : decoded;
    }
}
