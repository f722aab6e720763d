using System.Text;

namespace MailerQ.Www.Smtp.Client;

/// <summary>
/// MAIL FROM and RCPT TO with the ESMTP parameters the peer offered: SIZE (RFC 1870), BODY (RFC 6152),
/// SMTPUTF8 (RFC 6531), RET/ENVID and NOTIFY/ORCPT (RFC 3461).
/// </summary>
internal static class EnvelopeCommands
{
    public static int MailBound(OutgoingEnvelope envelope, DsnRequest? request) => CommandLineWriter.Bound(envelope.MailFrom, request?.EnvId);

    public static int RcptBound(OutgoingEnvelope envelope, DsnRequest? request) => CommandLineWriter.Bound(envelope.Recipient, request?.Notify, request?.Orcpt);

    /// <param name="request">DSN parameters, only when the peer advertises DSN.</param>
    public static void WriteMail(ref CommandLineWriter line, OutgoingEnvelope envelope, SmtpExtensions extensions, long size, bool utf8, DsnRequest? request)
    {
        line.Append("MAIL FROM:<"u8);
        line.AppendUtf8(envelope.MailFrom);
        line.Append(">"u8);
        if ((extensions & SmtpExtensions.Size) != 0)
        {
            line.Append(" SIZE="u8);
            line.AppendNumber(size);
        }
        if (envelope.EightBit && (extensions & SmtpExtensions.EightBitMime) != 0)
            line.Append(" BODY=8BITMIME"u8);
        if (utf8)
            line.Append(" SMTPUTF8"u8);
        if (request?.Ret is { } ret)
        {
            if (ret.Equals("FULL", StringComparison.OrdinalIgnoreCase)) line.Append(" RET=FULL"u8);
            else if (ret.Equals("HDRS", StringComparison.OrdinalIgnoreCase)) line.Append(" RET=HDRS"u8);
        }
        if (request?.EnvId is { Length: > 0 } envId)
        {
            line.Append(" ENVID="u8);
            line.AppendXText(envId);
        }
        line.Append("\r\n"u8);
    }

    /// <param name="request">DSN parameters, only when the peer advertises DSN.</param>
    public static void WriteRcpt(ref CommandLineWriter line, OutgoingEnvelope envelope, DsnRequest? request)
    {
        line.Append("RCPT TO:<"u8);
        line.AppendUtf8(envelope.Recipient);
        line.Append(">"u8);
        if (request?.Notify is { Length: > 0 } notify && IsNotifyList(notify))
        {
            line.Append(" NOTIFY="u8);
            line.AppendUtf8(notify.ToUpperInvariant());
        }
        if (request?.Orcpt is { Length: > 0 } orcpt)
        {
            // RFC 3461 section 4.2: addr-type ";" xtext; a bare address is an rfc822 one.
            int semicolon = orcpt.IndexOf(';', StringComparison.Ordinal);
            line.Append(" ORCPT="u8);
            if (semicolon > 0 && Ascii.IsValid(orcpt.AsSpan(0, semicolon)) && !orcpt.AsSpan(0, semicolon).ContainsAny(' ', '=', '+'))
            {
                line.AppendUtf8(orcpt[..semicolon]);
                line.Append(";"u8);
                line.AppendXText(orcpt[(semicolon + 1)..]);
            }
            else
            {
                line.Append("rfc822;"u8);
                line.AppendXText(orcpt);
            }
        }
        line.Append("\r\n"u8);
    }

    /// <summary>NEVER, or a comma list of SUCCESS, FAILURE, DELAY (RFC 3461 section 4.1); anything else is not sent.</summary>
    public static bool IsNotifyList(string value)
    {
        if (value.Equals("NEVER", StringComparison.OrdinalIgnoreCase))
            return true;
        foreach (var range in value.AsSpan().Split(','))
        {
            var item = value.AsSpan()[range];
            if (!item.Equals("SUCCESS", StringComparison.OrdinalIgnoreCase) && !item.Equals("FAILURE", StringComparison.OrdinalIgnoreCase)
                && !item.Equals("DELAY", StringComparison.OrdinalIgnoreCase))
                return false;
        }
        return true;
    }

    /// <summary>Characters that would break the command line or the path brackets: refused before anything is sent.</summary>
    public static bool HasControl(string address)
    {
        foreach (char c in address)
        {
            if (c < ' ' || c == '\u007f' || c == '<' || c == '>')
                return true;
        }
        return false;
    }
}
