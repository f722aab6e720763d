using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace MailerQ.Www.Auth.Radius;

/// <summary>Builds an Access-Request (RFC 2865 §4.1) signed with a Message-Authenticator (RFC 3579 §3.2).</summary>
internal static class RadiusRequestEncoder
{
    private const int MessageAuthenticatorBytes = 16;

    /// <summary>Bytes the request will need; at most <see cref="RadiusLimits.MaxPacketBytes"/> for valid inputs.</summary>
    public static int Size(int userNameLength, int passwordLength, int identifierLength, AddressFamily nasFamily) =>
        RadiusLimits.HeaderBytes
        + 2 + MessageAuthenticatorBytes
        + 2 + userNameLength
        + 2 + RadiusPassword.HiddenLength(passwordLength)
        + (nasFamily == AddressFamily.InterNetworkV6 ? 2 + 16 : 2 + 4)
        + (identifierLength > 0 ? 2 + identifierLength : 0);

    /// <summary>
    /// Writes the Access-Request and returns its length. <paramref name="userName"/> is 1–253 bytes,
    /// <paramref name="password"/> at most 128, <paramref name="identifier"/> 0–253 (omitted when empty).
    /// </summary>
    public static int Write(
        Span<byte> destination,
        byte identifier,
        ReadOnlySpan<byte> requestAuthenticator,
        ReadOnlySpan<byte> userName,
        ReadOnlySpan<byte> password,
        ReadOnlySpan<byte> nasIdentifier,
        IPAddress nasAddress,
        ReadOnlySpan<byte> secret)
    {
        destination[0] = (byte)RadiusCode.AccessRequest;
        destination[1] = identifier;
        requestAuthenticator.CopyTo(destination[4..RadiusLimits.HeaderBytes]);
        int position = RadiusLimits.HeaderBytes;

        // Message-Authenticator first: the BlastRADIUS mitigation (draft-ietf-radext-deprecating-radius)
        // puts it first so no chosen prefix can precede it. Zero while the HMAC is computed (RFC 3579 §3.2).
        int messageAuthenticator = position + 2;
        position = WriteAttribute(destination, position, RadiusAttributeType.MessageAuthenticator, stackalloc byte[MessageAuthenticatorBytes]);
        position = WriteAttribute(destination, position, RadiusAttributeType.UserName, userName);

        int hiddenLength = RadiusPassword.HiddenLength(password.Length);
        destination[position] = (byte)RadiusAttributeType.UserPassword;
        destination[position + 1] = (byte)(2 + hiddenLength);
        RadiusPassword.Hide(password, secret, requestAuthenticator, destination.Slice(position + 2, hiddenLength));
        position += 2 + hiddenLength;

        // RFC 2865 §4.1: an Access-Request MUST contain NAS-IP-Address or NAS-Identifier; we send both.
        Span<byte> address = stackalloc byte[16];
        nasAddress.TryWriteBytes(address, out int addressLength);
        position = WriteAttribute(
            destination,
            position,
            nasAddress.AddressFamily == AddressFamily.InterNetworkV6 ? RadiusAttributeType.NasIpv6Address : RadiusAttributeType.NasIpAddress,
            address[..addressLength]);
        if (!nasIdentifier.IsEmpty)
            position = WriteAttribute(destination, position, RadiusAttributeType.NasIdentifier, nasIdentifier);

        BinaryPrimitives.WriteUInt16BigEndian(destination[2..4], (ushort)position);
        HMACMD5.HashData(secret, destination[..position], destination.Slice(messageAuthenticator, MessageAuthenticatorBytes));
        return position;
    }

    private static int WriteAttribute(Span<byte> destination, int position, RadiusAttributeType type, ReadOnlySpan<byte> value)
    {
        destination[position] = (byte)type;
        destination[position + 1] = (byte)(2 + value.Length);
        value.CopyTo(destination[(position + 2)..]);
        return position + 2 + value.Length;
    }
}
