using System.Security.Cryptography;

namespace MailerQ.Www.Auth.Crypt;

/// <summary>
/// Makes the hashes this program writes: <c>mailerq hash-password</c> and the first-start admin password.
/// SHA-512 crypt (<c>$6$</c>) because the contract names it and every crypt on Linux reads it.
/// </summary>
internal static class PasswordHasher
{
    /// <summary>Salt length: the most SHA-crypt uses (Drepper's specification), 96 random bits.</summary>
    public const int SaltLength = 16;

    /// <summary>
    /// A <c>$6$</c> hash of <paramref name="password"/> with a random salt and the default 5000 rounds
    /// (what <c>mkpasswd -m sha-512</c> and <c>openssl passwd -6</c> write).
    /// </summary>
    /// <exception cref="ArgumentException">The password is empty, longer than 511 bytes, or holds NUL, CR or LF: no login could use it.</exception>
    public static string HashSha512Crypt(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!CredentialRules.IsAcceptablePassword(password))
            throw new ArgumentException($"the password must be 1 to {AuthLimits.MaxPasswordBytes} bytes without NUL, CR or LF", nameof(password));
        string setting = "$6$" + GenerateSalt() + "$";
        return CryptVerifier.Compute(password, setting, CryptFormat.Sha512)
            ?? throw new InvalidOperationException("libcrypt refused to compute a SHA-512 crypt hash");
    }

    /// <summary><see cref="SaltLength"/> characters of crypt's alphabet from the CSPRNG.</summary>
    internal static string GenerateSalt() =>
        new(RandomNumberGenerator.GetItems<char>(CryptHash.Alphabet, SaltLength));
}
