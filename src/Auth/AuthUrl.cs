namespace MailerQ.Www.Auth;

/// <summary>
/// Splits a <c>www-auth</c> value into its scheme and the rest. The rest is parsed by the scheme's factory
/// because the forms differ too much for one URL parser (<c>hardcoded://u:p,u2:p2</c> is no valid URI).
/// </summary>
internal static class AuthUrl
{
    /// <summary>
    /// <c>scheme://rest</c> with an RFC 3986 section 3.1 scheme (a letter, then letters, digits, <c>+ - .</c>).
    /// The scheme comes back lower-case; schemes are case-insensitive (RFC 3986 section 3.1).
    /// </summary>
    public static bool TrySplit(string value, out string scheme, out string rest)
    {
        scheme = string.Empty;
        rest = string.Empty;
        int sep = value.IndexOf("://", StringComparison.Ordinal);
        if (sep <= 0 || !char.IsAsciiLetter(value[0]))
            return false;
        for (int i = 1; i < sep; i++)
        {
            char c = value[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
                return false;
        }
        scheme = value[..sep].ToLowerInvariant();
        rest = value[(sep + 3)..];
        return true;
    }

    /// <summary>
    /// <c>file:///abs/path</c> (or <c>exec:///…</c>), or with the host <c>localhost</c> (RFC 8089 section 2), path percent-decoded.
    /// <c>file://users.txt</c> would make "users.txt" a host name, so it is refused with a hint.
    /// </summary>
    public static bool TryGetLocalPath(string value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? path, out string? problem)
    {
        path = null;
        problem = null;
        if (!TrySplit(value, out string scheme, out string rest))
        {
            problem = "expected scheme:///absolute/path";
            return false;
        }
        if (rest.StartsWith("localhost/", StringComparison.OrdinalIgnoreCase))
            rest = rest["localhost".Length..];
        if (!rest.StartsWith('/'))
        {
            problem = $"expected {scheme}:///absolute/path (three slashes: the path must be absolute)";
            return false;
        }
        int cut = rest.AsSpan().IndexOfAny('?', '#');
        if (cut >= 0)
        {
            problem = "the URL takes no query or fragment";
            return false;
        }
        if (!PercentDecoding.TryDecode(rest, out string decoded, out problem))
            return false;
        if (decoded.Contains('\0', StringComparison.Ordinal))
        {
            problem = "the path contains NUL";
            return false;
        }
        path = Path.GetFullPath(decoded);
        return true;
    }
}
