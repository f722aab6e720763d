using System.Text;

namespace MailerQ.Www.Smtp.Protocol;

/// <summary>RCPT TO (RFC 5321 section 4.1.1.3) with NOTIFY and ORCPT (RFC 3461 section 4).</summary>
internal sealed class RcptArguments
{
    public string Recipient { get; private set; } = "";
    public string? Notify { get; private set; }
    public string? OriginalRecipient { get; private set; }

    public static PathStatus TryParse(ReadOnlySpan<byte> argument, bool dsn, bool smtpUtf8, out RcptArguments result)
    {
        result = new RcptArguments();
        if (!SmtpPath.TryTakePrefix(ref argument, "TO:"u8))
            return PathStatus.Syntax;
        var status = SmtpPath.TryTakePath(ref argument, allowEmpty: false, out var path);
        if (status != PathStatus.Ok)
            return status;
        // RFC 5321 section 4.1.1.3: a mailbox needs a domain, except the special "postmaster".
        if (path.IndexOf((byte)'@') <= 0 && !Ascii.EqualsIgnoreCase(path, "postmaster"u8))
            return PathStatus.Syntax;

        while (SmtpPath.TryTakeParameter(ref argument, out var key, out var value, out bool hasValue))
        {
            if (dsn && Ascii.EqualsIgnoreCase(key, "NOTIFY"u8) && hasValue)
            {
                if (!IsNotifyList(value))
                    return PathStatus.BadParameter;
                result.Notify = Encoding.ASCII.GetString(value).ToUpperInvariant();
            }
            else if (dsn && Ascii.EqualsIgnoreCase(key, "ORCPT"u8) && hasValue)
            {
                // addr-type ";" xtext, e.g. rfc822;bob@example.org (RFC 3461 section 4.2)
                int semicolon = value.IndexOf((byte)';');
                if (semicolon <= 0 || value.Length > 500 || !SmtpPath.IsXText(value[(semicolon + 1)..]))
                    return PathStatus.BadParameter;
                result.OriginalRecipient = Encoding.ASCII.GetString(value);
            }
            else
            {
                return PathStatus.UnknownParameter;
            }
        }
        if (!argument.IsEmpty)
            return PathStatus.Syntax;
        if (!smtpUtf8 && !Ascii.IsValid(path))
            return PathStatus.NeedsSmtpUtf8;
        result.Recipient = Encoding.UTF8.GetString(path);
        return PathStatus.Ok;
    }

    /// <summary>NEVER alone, or a comma list of SUCCESS, FAILURE, DELAY (RFC 3461 section 4.1).</summary>
    private static bool IsNotifyList(ReadOnlySpan<byte> value)
    {
        if (Ascii.EqualsIgnoreCase(value, "NEVER"u8))
            return true;
        foreach (var range in value.Split((byte)','))
        {
            var item = value[range];
            if (!Ascii.EqualsIgnoreCase(item, "SUCCESS"u8) && !Ascii.EqualsIgnoreCase(item, "FAILURE"u8) && !Ascii.EqualsIgnoreCase(item, "DELAY"u8))
                return false;
        }
        return true;
    }
}
