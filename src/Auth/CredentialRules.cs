using System.Text;

namespace MailerQ.Www.Auth;

/// <summary>
/// What every login must satisfy before any backend is asked. CONTRACT.md: empty passwords, control
/// characters in the name and the like all end in the same 401 as a wrong password.
/// </summary>
internal static class CredentialRules
{
    /// <summary>True when <paramref name="userName"/> and <paramref name="password"/> may go to a backend.</summary>
    /// <remarks>
    /// An empty password is an unauthenticated success in LDAP simple bind (RFC 4513 section 5.1.2), so it is
    /// refused for all schemes. NUL ends a C string: "pw\0junk" would reach crypt or PAM as "pw". CR and LF
    /// would let a password smuggle a third line into the exec protocol. Lone surrogates have no UTF-8 form
    /// and would turn into U+FFFD, making two different inputs equal.
    /// </remarks>
    public static bool AreAcceptable(string? userName, string? password) =>
        IsAcceptableUserName(userName) && IsAcceptablePassword(password);

    /// <summary>Non-empty, at most <see cref="AuthLimits.MaxUserNameLength"/>, no control characters, valid UTF-16.</summary>
    public static bool IsAcceptableUserName(string? userName)
    {
        if (string.IsNullOrEmpty(userName) || userName.Length > AuthLimits.MaxUserNameLength)
            return false;
        foreach (char c in userName)
        {
            if (char.IsControl(c))
                return false;
        }
        return IsWellFormed(userName);
    }

    /// <summary>Non-empty, at most <see cref="AuthLimits.MaxPasswordBytes"/> of UTF-8, no NUL, CR or LF, valid UTF-16.</summary>
    public static bool IsAcceptablePassword(string? password)
    {
        if (string.IsNullOrEmpty(password) || password.Length > AuthLimits.MaxPasswordBytes)
            return false;
        if (password.AsSpan().IndexOfAny('\0', '\r', '\n') >= 0)
            return false;
        return IsWellFormed(password) && Encoding.UTF8.GetByteCount(password) <= AuthLimits.MaxPasswordBytes;
    }

    private static bool IsWellFormed(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                    return false;
                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }
}
