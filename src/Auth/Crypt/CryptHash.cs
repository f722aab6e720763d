namespace MailerQ.Www.Auth.Crypt;

/// <summary>
/// Recognises a stored hash by its shape (crypt(5) for each format) without computing it, so loading a
/// file with thousands of bcrypt lines stays fast and a typo is reported at its line instead of
/// failing every login for that user.
/// </summary>
internal static class CryptHash
{
    /// <summary>crypt(3)'s base-64 alphabet.</summary>
    public const string Alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>Classifies <paramref name="hash"/>; false with a reason when it is no supported format.</summary>
    public static bool TryClassify(string hash, out CryptFormat format, out string? problem)
    {
        format = default;
        problem = null;
        if (hash.Length > 0 && hash[0] is '!' or '*')
        {
            format = CryptFormat.Disabled;
            return true;
        }
        if (hash.StartsWith("$6$", StringComparison.Ordinal))
        {
            format = CryptFormat.Sha512;
            return CheckShaCrypt(hash.AsSpan(3), 86, out problem);
        }
        if (hash.StartsWith("$5$", StringComparison.Ordinal))
        {
            format = CryptFormat.Sha256;
            return CheckShaCrypt(hash.AsSpan(3), 43, out problem);
        }
        if (hash.StartsWith("$2a$", StringComparison.Ordinal) || hash.StartsWith("$2b$", StringComparison.Ordinal) || hash.StartsWith("$2y$", StringComparison.Ordinal))
        {
            format = CryptFormat.Bcrypt;
            return CheckBcrypt(hash.AsSpan(4), out problem);
        }
        if (hash.StartsWith("$y$", StringComparison.Ordinal))
        {
            format = CryptFormat.Yescrypt;
            return CheckYescrypt(hash.AsSpan(3), out problem);
        }
        if (hash.StartsWith("$1$", StringComparison.Ordinal))
        {
            format = CryptFormat.Md5;
            return CheckMd5Crypt(hash.AsSpan(3), out problem);
        }
        if (hash.StartsWith("$apr1$", StringComparison.Ordinal))
        {
            format = CryptFormat.Apr1;
            return CheckMd5Crypt(hash.AsSpan(6), out problem);
        }
        problem = hash.Length == 0
            ? "empty hash"
            : "unknown hash format (supported: $y$, $6$, $5$, $2b$/$2y$/$2a$, $1$, $apr1$)";
        return false;
    }

    /// <summary><c>[rounds=N$]salt$hash</c>, salt ≤ 16 characters (Drepper's SHA-crypt specification).</summary>
    private static bool CheckShaCrypt(ReadOnlySpan<char> rest, int hashLength, out string? problem)
    {
        problem = null;
        if (rest.StartsWith("rounds="))
        {
            int end = rest.IndexOf('$');
            if (end < 0 || !int.TryParse(rest[7..end], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int rounds)
                || rounds < 1000 || rounds > 999_999_999)
            {
                // The spec clamps rounds to 1000..999,999,999; libxcrypt refuses values outside.
                problem = "rounds= must be a number from 1000 to 999999999";
                return false;
            }
            rest = rest[(end + 1)..];
        }
        int dollar = rest.IndexOf('$');
        if (dollar < 0 || dollar > 16 || !IsAlphabet(rest[..dollar]))
        {
            problem = "malformed salt (at most 16 characters of ./0-9A-Za-z)";
            return false;
        }
        var digest = rest[(dollar + 1)..];
        if (digest.Length != hashLength || !IsAlphabet(digest))
        {
            problem = $"the hash part must be {hashLength} characters of ./0-9A-Za-z";
            return false;
        }
        return true;
    }

    /// <summary><c>NN$</c> cost 04..31, then 22 salt and 31 hash characters (OpenBSD bcrypt).</summary>
    private static bool CheckBcrypt(ReadOnlySpan<char> rest, out string? problem)
    {
        problem = null;
        if (rest.Length != 3 + 53 || rest[2] != '$' || !char.IsAsciiDigit(rest[0]) || !char.IsAsciiDigit(rest[1]))
        {
            problem = "malformed bcrypt hash (expected $2b$NN$ and 53 characters)";
            return false;
        }
        int cost = ((rest[0] - '0') * 10) + (rest[1] - '0');
        if (cost < 4 || cost > 31 || !IsAlphabet(rest[3..]))
        {
            problem = "malformed bcrypt hash (cost 04..31, then ./0-9A-Za-z)";
            return false;
        }
        return true;
    }

    /// <summary><c>params$salt$hash</c> with a 43-character hash (libxcrypt's yescrypt).</summary>
    private static bool CheckYescrypt(ReadOnlySpan<char> rest, out string? problem)
    {
        problem = null;
        int first = rest.IndexOf('$');
        int last = rest.LastIndexOf('$');
        if (first <= 0 || last <= first + 1 || !IsAlphabet(rest[..first]) || !IsAlphabet(rest[(first + 1)..last])
            || rest.Length - last - 1 != 43 || !IsAlphabet(rest[(last + 1)..]))
        {
            problem = "malformed yescrypt hash (expected $y$params$salt$ and 43 characters)";
            return false;
        }
        return true;
    }

    /// <summary><c>salt$hash</c>, salt ≤ 8 characters, hash 22 (Kamp's MD5 crypt, Apache's apr1).</summary>
    private static bool CheckMd5Crypt(ReadOnlySpan<char> rest, out string? problem)
    {
        problem = null;
        int dollar = rest.IndexOf('$');
        if (dollar < 0 || dollar > 8 || !IsAlphabet(rest[..dollar]) || rest.Length - dollar - 1 != 22 || !IsAlphabet(rest[(dollar + 1)..]))
        {
            problem = "malformed MD5 crypt hash (salt of at most 8 characters, then 22 characters)";
            return false;
        }
        return true;
    }

    private static bool IsAlphabet(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '/'))
                return false;
        }
        return true;
    }
}
