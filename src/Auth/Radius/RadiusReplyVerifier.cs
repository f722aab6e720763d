using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MailerQ.Www.Auth.Radius;

/// <summary>
/// Checks that a datagram is the authentic reply to one Access-Request: Identifier, Response
/// Authenticator (RFC 2865 §3) and a required Message-Authenticator (RFC 3579 §3.2; required in every
/// reply since BlastRADIUS, draft-ietf-radext-deprecating-radius). A datagram that fails any check is
/// silently discarded by the caller, who keeps waiting, as RFC 2865 §3 and RFC 3579 §3.2 require.
/// </summary>
internal static class RadiusReplyVerifier
{
    private const int AuthenticatorBytes = 16;

    /// <summary>Verifies <paramref name="datagram"/>; on <see cref="RadiusReplyStatus.Valid"/>, <paramref name="code"/> is the answer.</summary>
    public static RadiusReplyStatus Verify(
        ReadOnlySpan<byte> datagram,
        byte identifier,
        ReadOnlySpan<byte> requestAuthenticator,
        ReadOnlySpan<byte> secret,
        out RadiusCode code)
    {
        code = default;
        if (datagram.Length < RadiusLimits.HeaderBytes)
            return RadiusReplyStatus.TooShort;
        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..4]);
        if (length is < RadiusLimits.HeaderBytes or > RadiusLimits.MaxPacketBytes)
            return RadiusReplyStatus.BadLength;
        // RFC 2865 §3: octets beyond Length are padding and ignored; fewer octets than Length: discard.
        if (datagram.Length < length)
            return RadiusReplyStatus.TooShort;
        var packet = datagram[..length];

        var candidate = (RadiusCode)packet[0];
        if (candidate is not (RadiusCode.AccessAccept or RadiusCode.AccessReject or RadiusCode.AccessChallenge))
            return RadiusReplyStatus.UnexpectedCode;
        if (packet[1] != identifier)
            return RadiusReplyStatus.WrongId;

        int messageAuthenticator = -1;
        int count = 0;
        for (int position = RadiusLimits.HeaderBytes; position < packet.Length;)
        {
            if (packet.Length - position < 2 || packet[position + 1] < 2 || position + packet[position + 1] > packet.Length)
                return RadiusReplyStatus.MalformedAttributes;
            if (packet[position] == (byte)RadiusAttributeType.MessageAuthenticator)
            {
                if (packet[position + 1] != 2 + AuthenticatorBytes)
                    return RadiusReplyStatus.MalformedAttributes;
                messageAuthenticator = position + 2;
                count++;
            }
            position += packet[position + 1];
        }

        if (!ResponseAuthenticatorMatches(packet, requestAuthenticator, secret))
            return RadiusReplyStatus.BadResponseAuthenticator;
        if (count != 1)
            return RadiusReplyStatus.MissingMessageAuthenticator;
        if (!MessageAuthenticatorMatches(packet, messageAuthenticator, requestAuthenticator, secret))
            return RadiusReplyStatus.BadMessageAuthenticator;
        code = candidate;
        return RadiusReplyStatus.Valid;
    }

    // ResponseAuth = MD5(Code+ID+Length+RequestAuth+Attributes+Secret), RFC 2865 §3.
    private static bool ResponseAuthenticatorMatches(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> requestAuthenticator, ReadOnlySpan<byte> secret)
    {
        Span<byte> expected = stackalloc byte[AuthenticatorBytes];
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        md5.AppendData(packet[..4]);
        md5.AppendData(requestAuthenticator);
        md5.AppendData(packet[RadiusLimits.HeaderBytes..]);
        md5.AppendData(secret);
        md5.GetHashAndReset(expected);
        return CryptographicOperations.FixedTimeEquals(expected, packet.Slice(4, AuthenticatorBytes));
    }

    // RFC 3579 §3.2: HMAC-MD5 over the reply with the Request Authenticator in place of the Response
    // Authenticator and the Message-Authenticator value set to zeros.
    private static bool MessageAuthenticatorMatches(ReadOnlySpan<byte> packet, int offset, ReadOnlySpan<byte> requestAuthenticator, ReadOnlySpan<byte> secret)
    {
        Span<byte> copy = stackalloc byte[RadiusLimits.MaxPacketBytes];
        copy = copy[..packet.Length];
        packet.CopyTo(copy);
        requestAuthenticator.CopyTo(copy.Slice(4, AuthenticatorBytes));
        copy.Slice(offset, AuthenticatorBytes).Clear();
        Span<byte> expected = stackalloc byte[AuthenticatorBytes];
        HMACMD5.HashData(secret, copy, expected);
        return CryptographicOperations.FixedTimeEquals(expected, packet.Slice(offset, AuthenticatorBytes));
    }
}
