using System.Buffers;

namespace MailerQ.Www.Http.Parsing;

/// <summary>The character classes of the HTTP grammar, built once as <see cref="SearchValues{T}"/>.</summary>
internal static class HttpCharacters
{
    private const string Digit = "0123456789";
    private const string Alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>tchar (RFC 9110 §5.6.2): methods, field names, connection options, codings.</summary>
    public static readonly SearchValues<byte> Token = SearchValues.Create(Ascii("!#$%&'*+-.^_`|~" + Digit + Alpha));

    /// <summary>
    /// Bytes never allowed in a field line (RFC 9110 §5.5): CTLs other than HTAB, and DEL. obs-text
    /// (0x80–0xFF) is allowed in values, and SP/HTAB inside them.
    /// </summary>
    public static readonly SearchValues<byte> InvalidFieldLine = SearchValues.Create(Controls(includeTab: false, string.Empty));

    /// <summary>
    /// Bytes never allowed in a request-target (RFC 9112 §3.2 over RFC 3986): CTLs (HTAB too), SP, DEL,
    /// and '#', since a fragment is never part of what a client sends. Other bytes outside the URI
    /// grammar (<c>{ } | ^</c>, raw UTF-8) are left for the router: browsers send some unencoded.
    /// </summary>
    public static readonly SearchValues<byte> InvalidTarget = SearchValues.Create(Controls(includeTab: true, " #"));

    /// <summary>reg-name (RFC 3986 §3.2.2): unreserved, pct-encoded ('%') and sub-delims.</summary>
    public static readonly SearchValues<byte> RegName = SearchValues.Create(Ascii(Digit + Alpha + "-._~%!$&'()*+,;="));

    /// <summary>Inside an IP-literal's brackets (RFC 3986 §3.2.2): IPv6 / IPvFuture characters.</summary>
    public static readonly SearchValues<byte> IpLiteral = SearchValues.Create(Ascii(Digit + Alpha + "-._~%!$&'()*+,;=:"));

    /// <summary>DIGIT (RFC 5234 B.1).</summary>
    public static readonly SearchValues<byte> Digits = SearchValues.Create("0123456789"u8);

    /// <summary>Converts an ASCII hex digit to its value, or -1 (RFC 9112 §7.1 chunk-size = 1*HEXDIG).</summary>
    public static int HexValue(byte b)
    {
        uint d = (uint)(b - '0');
        if (d <= 9)
            return (int)d;
        uint l = (uint)((b | 0x20) - 'a');
        return l <= 5 ? (int)l + 10 : -1;
    }

    /// <summary>True for OWS/BWS characters (RFC 9110 §5.6.3).</summary>
    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t';

    /// <summary>Trims OWS (SP / HTAB) from both ends.</summary>
    public static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> s)
    {
        int start = 0;
        while (start < s.Length && IsWhitespace(s[start]))
            start++;
        int end = s.Length;
        while (end > start && IsWhitespace(s[end - 1]))
            end--;
        return s[start..end];
    }

    private static byte[] Ascii(string s)
    {
        var bytes = new byte[s.Length];
        for (int i = 0; i < s.Length; i++)
            bytes[i] = (byte)s[i];
        return bytes;
    }

    private static byte[] Controls(bool includeTab, string extra)
    {
        var list = new List<byte>(34 + extra.Length);
        for (int b = 0; b < 0x20; b++)
        {
            if (b != '\t' || includeTab)
                list.Add((byte)b);
        }

        list.Add(0x7F);
        list.AddRange(Ascii(extra));
        return list.ToArray();
    }
}
