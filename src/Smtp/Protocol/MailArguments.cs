using System.Buffers.Text;
using System.Text;

namespace MailerQ.Www.Smtp.Protocol;

/// <summary>
/// The argument of MAIL FROM (RFC 5321 section 4.1.1.2) and its ESMTP parameters: SIZE (RFC 1870),
/// BODY (RFC 6152), SMTPUTF8 (RFC 6531), RET and ENVID (RFC 3461), AUTH (RFC 4954, accepted and ignored).
/// </summary>
internal sealed class MailArguments
{
    public string Sender { get; private set; } = "";
    public long? Size { get; private set; }
    public BodyType Body { get; private set; }
    public bool SmtpUtf8 { get; private set; }
    public string? Ret { get; private set; }
    public string? EnvId { get; private set; }

    public static PathStatus TryParse(ReadOnlySpan<byte> argument, bool dsn, out MailArguments result)
    {
        result = new MailArguments();
        if (!SmtpPath.TryTakePrefix(ref argument, "FROM:"u8))
            return PathStatus.Syntax;
        var status = SmtpPath.TryTakePath(ref argument, allowEmpty: true, out var path);
        if (status != PathStatus.Ok)
            return status;

        while (SmtpPath.TryTakeParameter(ref argument, out var key, out var value, out bool hasValue))
        {
            if (Ascii.EqualsIgnoreCase(key, "SIZE"u8))
            {
                if (!hasValue || !Utf8Parser.TryParse(value, out long size, out int used) || used != value.Length || size < 0)
                    return PathStatus.BadParameter;
                result.Size = size;
            }
            else if (Ascii.EqualsIgnoreCase(key, "BODY"u8))
            {
                if (Ascii.EqualsIgnoreCase(value, "8BITMIME"u8)) result.Body = BodyType.EightBitMime;
                else if (Ascii.EqualsIgnoreCase(value, "7BIT"u8)) result.Body = BodyType.SevenBit;
                else return PathStatus.BadParameter; // BINARYMIME is not offered (RFC 3030 section 3)
            }
            else if (Ascii.EqualsIgnoreCase(key, "SMTPUTF8"u8) && !hasValue)
            {
                result.SmtpUtf8 = true;
            }
            else if (dsn && Ascii.EqualsIgnoreCase(key, "RET"u8))
            {
                if (Ascii.EqualsIgnoreCase(value, "FULL"u8)) result.Ret = "FULL";
                else if (Ascii.EqualsIgnoreCase(value, "HDRS"u8)) result.Ret = "HDRS";
                else return PathStatus.BadParameter;
            }
            else if (dsn && Ascii.EqualsIgnoreCase(key, "ENVID"u8))
            {
                // RFC 3461 section 4.4: xtext, at most 100 characters.
                if (!hasValue || value.Length > 100 || !SmtpPath.IsXText(value))
                    return PathStatus.BadParameter;
                result.EnvId = Encoding.ASCII.GetString(value);
            }
            else if (Ascii.EqualsIgnoreCase(key, "AUTH"u8) && hasValue)
            {
                // RFC 4954 section 5: a server may ignore it.
            }
            else
            {
                return PathStatus.UnknownParameter;
            }
        }
        if (!argument.IsEmpty)
            return PathStatus.Syntax;
        if (!result.SmtpUtf8 && !Ascii.IsValid(path))
            return PathStatus.NeedsSmtpUtf8;
        result.Sender = Encoding.UTF8.GetString(path);
        return PathStatus.Ok;
    }
}
