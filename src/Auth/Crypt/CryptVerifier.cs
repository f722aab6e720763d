using System.Security.Cryptography;
using System.Text;
using MailerQ.Www.Auth.Native;

namespace MailerQ.Www.Auth.Crypt;

/// <summary>
/// Checks a password against a stored crypt(5) hash: libxcrypt computes every format it knows, the
/// managed <see cref="Md5Crypt"/> does <c>$apr1$</c>. The computed hash is compared with the stored one
/// in fixed time. A disabled (<c>!</c>/<c>*</c>) hash never matches.
/// </summary>
internal static class CryptVerifier
{
    /// <summary>True when <paramref name="password"/> hashes to <paramref name="storedHash"/>.</summary>
    public static bool Verify(string password, string storedHash, CryptFormat format)
    {
        if (format == CryptFormat.Disabled)
            return false;
        string? computed = Compute(password, storedHash, format);
        if (computed is null)
            return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(storedHash));
    }

    /// <summary>The hash of <paramref name="password"/> with the salt and parameters of <paramref name="setting"/>, or null.</summary>
    public static string? Compute(string password, string setting, CryptFormat format)
    {
        int length = Encoding.UTF8.GetByteCount(password);
        byte[] rented = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            int n = Encoding.UTF8.GetBytes(password, rented);
            var phrase = rented.AsSpan(0, n);
            return format == CryptFormat.Apr1 ? Md5Crypt.Hash(phrase, setting) : LibCrypt.Crypt(phrase, setting);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }
    }
}
