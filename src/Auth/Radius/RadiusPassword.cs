using System.Security.Cryptography;

namespace MailerQ.Www.Auth.Radius;

/// <summary>The User-Password hiding of RFC 2865 §5.2.</summary>
internal static class RadiusPassword
{
    private const int BlockBytes = 16;

    /// <summary>Bytes of the hidden form: the password padded with NULs to a multiple of 16, at least 16.</summary>
    public static int HiddenLength(int passwordLength) => Math.Max(BlockBytes, (passwordLength + BlockBytes - 1) / BlockBytes * BlockBytes);

    /// <summary>
    /// c(1) = p(1) xor MD5(S + RA), c(i) = p(i) xor MD5(S + c(i-1)) (RFC 2865 §5.2), written to
    /// <paramref name="destination"/>, which must hold <see cref="HiddenLength"/> bytes.
    /// </summary>
    public static void Hide(ReadOnlySpan<byte> password, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> requestAuthenticator, Span<byte> destination)
    {
        int length = HiddenLength(password.Length);
        destination = destination[..length];
        destination.Clear();
        password.CopyTo(destination);
        Span<byte> b = stackalloc byte[BlockBytes];
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        ReadOnlySpan<byte> previous = requestAuthenticator;
        for (int offset = 0; offset < length; offset += BlockBytes)
        {
            md5.AppendData(secret);
            md5.AppendData(previous);
            md5.GetHashAndReset(b);
            var block = destination.Slice(offset, BlockBytes);
            for (int i = 0; i < BlockBytes; i++)
                block[i] ^= b[i];
            previous = block;
        }
        CryptographicOperations.ZeroMemory(b);
    }
}
