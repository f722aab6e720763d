using System.Security.Cryptography;
using System.Text;

namespace MailerQ.Www.Auth.Crypt;

/// <summary>
/// Poul-Henning Kamp's MD5 crypt (FreeBSD 1994), in the form Apache's <c>apr_md5_encode</c> uses for
/// <c>$apr1$</c>: the same algorithm with another magic string. libxcrypt has no <c>$apr1$</c>, so this
/// is the one format computed in managed code; <c>$1$</c> goes through it too in the tests, checked
/// against libxcrypt and <c>openssl passwd -1</c>. Weak (1000 MD5 rounds): accepted only with a warning.
/// </summary>
internal static class Md5Crypt
{
    public const string Apr1Magic = "$apr1$";
    public const string Md5Magic = "$1$";

    /// <summary>Computes the full hash of <paramref name="password"/> with the magic and salt taken from <paramref name="setting"/>.</summary>
    public static string Hash(ReadOnlySpan<byte> password, string setting)
    {
        string magic = setting.StartsWith(Apr1Magic, StringComparison.Ordinal) ? Apr1Magic
            : setting.StartsWith(Md5Magic, StringComparison.Ordinal) ? Md5Magic
            : throw new ArgumentException("not an MD5 crypt setting", nameof(setting));
        var saltText = setting.AsSpan(magic.Length);
        int end = saltText.IndexOf('$');
        if (end >= 0) saltText = saltText[..end];
        if (saltText.Length > 8) saltText = saltText[..8];
        byte[] salt = Encoding.ASCII.GetBytes(saltText.ToString());
        byte[] magicBytes = Encoding.ASCII.GetBytes(magic);

        using var alt = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        alt.AppendData(password);
        alt.AppendData(salt);
        alt.AppendData(password);
        byte[] altResult = alt.GetHashAndReset();

        using var ctx = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        ctx.AppendData(password);
        ctx.AppendData(magicBytes);
        ctx.AppendData(salt);
        for (int left = password.Length; left > 0; left -= 16)
            ctx.AppendData(altResult, 0, Math.Min(16, left));
        // "Then something really weird...": a NUL for each set bit, the first password byte for each clear one.
        byte[] zero = [0];
        for (int i = password.Length; i != 0; i >>= 1)
        {
            if ((i & 1) != 0) ctx.AppendData(zero);
            else ctx.AppendData(password[..1]);
        }
        byte[] final = ctx.GetHashAndReset();

        // 1000 rounds "to slow things down" (the original comment).
        for (int i = 0; i < 1000; i++)
        {
            if ((i & 1) != 0) ctx.AppendData(password); else ctx.AppendData(final);
            if (i % 3 != 0) ctx.AppendData(salt);
            if (i % 7 != 0) ctx.AppendData(password);
            if ((i & 1) != 0) ctx.AppendData(final); else ctx.AppendData(password);
            final = ctx.GetHashAndReset();
        }

        var sb = new StringBuilder(magic.Length + salt.Length + 23);
        sb.Append(magic).Append(saltText).Append('$');
        To64(sb, (final[0] << 16) | (final[6] << 8) | final[12], 4);
        To64(sb, (final[1] << 16) | (final[7] << 8) | final[13], 4);
        To64(sb, (final[2] << 16) | (final[8] << 8) | final[14], 4);
        To64(sb, (final[3] << 16) | (final[9] << 8) | final[15], 4);
        To64(sb, (final[4] << 16) | (final[10] << 8) | final[5], 4);
        To64(sb, final[11], 2);
        CryptographicOperations.ZeroMemory(altResult);
        CryptographicOperations.ZeroMemory(final);
        return sb.ToString();
    }

    private static void To64(StringBuilder sb, int value, int count)
    {
        while (count-- > 0)
        {
            sb.Append(CryptHash.Alphabet[value & 0x3f]);
            value >>= 6;
        }
    }
}
