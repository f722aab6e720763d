using System.Text;

namespace MailerQ.Www.Smtp.Protocol;

/// <summary>Tokenizer helpers for MAIL/RCPT arguments; each consumes from the front of a span.</summary>
internal static class SmtpPath
{
    /// <summary>"FROM:" / "TO:" case-insensitively, then optional blanks (common client laxity, as Postfix accepts).</summary>
    public static bool TryTakePrefix(ref ReadOnlySpan<byte> argument, ReadOnlySpan<byte> prefix)
    {
        if (argument.Length < prefix.Length || !Ascii.EqualsIgnoreCase(argument[..prefix.Length], prefix))
            return false;
        argument = argument[prefix.Length..].TrimStart((byte)' ');
        return true;
    }

    /// <summary>An angle-bracketed path, at most 256 octets (RFC 5321 section 4.5.3.1.3); source routes are dropped (section 4.1.2).</summary>
    public static PathStatus TryTakePath(ref ReadOnlySpan<byte> argument, bool allowEmpty, out ReadOnlySpan<byte> path)
    {
        path = default;
        if (argument.IsEmpty || argument[0] != (byte)'<')
            return PathStatus.Syntax;
        int close = argument.IndexOf((byte)'>');
        if (close < 0)
            return PathStatus.Syntax;
        path = argument[1..close];
        argument = argument[(close + 1)..];
        if (!argument.IsEmpty && argument[0] != (byte)' ')
            return PathStatus.Syntax;
        argument = argument.TrimStart((byte)' ');
        if (path.Length > SmtpLimits.Path)
            return PathStatus.TooLong;
        if (!path.IsEmpty && path[0] == (byte)'@')
        {
            int colon = path.IndexOf((byte)':');
            if (colon < 0)
                return PathStatus.Syntax;
            path = path[(colon + 1)..];
        }
        if (path.IsEmpty)
            return allowEmpty ? PathStatus.Ok : PathStatus.Syntax;
        foreach (byte b in path)
        {
            // Controls, blanks and brackets never appear in a mailbox outside a quoted local part we do not support.
            if (b <= (byte)' ' || b == 0x7F || b == (byte)'<' || b == (byte)'>')
                return PathStatus.Syntax;
        }
        if (!Ascii.IsValid(path) && !System.Text.Unicode.Utf8.IsValid(path))
            return PathStatus.Syntax;
        return PathStatus.Ok;
    }

    /// <summary>One <c>KEY[=VALUE]</c> parameter separated by blanks (RFC 5321 section 4.1.2 esmtp-param).</summary>
    public static bool TryTakeParameter(ref ReadOnlySpan<byte> argument, out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value, out bool hasValue)
    {
        argument = argument.TrimStart((byte)' ');
        key = value = default;
        hasValue = false;
        if (argument.IsEmpty)
            return false;
        int space = argument.IndexOf((byte)' ');
        var token = space < 0 ? argument : argument[..space];
        argument = space < 0 ? default : argument[space..];
        int equals = token.IndexOf((byte)'=');
        if (equals < 0)
        {
            key = token;
        }
        else
        {
            key = token[..equals];
            value = token[(equals + 1)..];
            hasValue = true;
        }
        return true;
    }

    /// <summary>RFC 3461 section 4: xtext is printable ASCII except '+' and '=', with "+XX" hex escapes.</summary>
    public static bool IsXText(ReadOnlySpan<byte> value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            byte b = value[i];
            if (b == (byte)'+')
            {
                if (i + 2 >= value.Length)
                    return false;
                if (!char.IsAsciiHexDigitUpper((char)value[i + 1]) || !char.IsAsciiHexDigitUpper((char)value[i + 2]))
                    return false;
                i += 2;
            }
            else if (b < 0x21 || b > 0x7E || b == (byte)'=')
            {
                return false;
            }
        }
        return true;
    }
}
