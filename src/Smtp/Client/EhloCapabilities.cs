using System.Text;
using System.Buffers.Text;

namespace MailerQ.Www.Smtp.Client;

/// <summary>Reads the extensions out of an EHLO reply: line 0 is the server's name, every other line a keyword and its parameters.</summary>
internal static class EhloCapabilities
{
    /// <param name="maxSize">The SIZE parameter (RFC 1870 section 4); 0 when absent or 0, which means no fixed limit.</param>
    public static SmtpExtensions Read(SmtpReplyParser reply, out long maxSize)
    {
        var found = SmtpExtensions.None;
        maxSize = 0;
        for (int i = 1; i < reply.LineCount; i++)
        {
            var line = reply.Line(i).Trim((byte)' ');
            int space = line.IndexOf((byte)' ');
            var keyword = space < 0 ? line : line[..space];
            var rest = space < 0 ? default : line[(space + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(keyword, "PIPELINING"u8))
            {
                found |= SmtpExtensions.Pipelining;
            }
            else if (Ascii.EqualsIgnoreCase(keyword, "SIZE"u8))
            {
                found |= SmtpExtensions.Size;
                if (Utf8Parser.TryParse(rest, out long size, out int used) && used == rest.Length && size > 0)
                    maxSize = size;
            }
            else if (Ascii.EqualsIgnoreCase(keyword, "8BITMIME"u8))
            {
                found |= SmtpExtensions.EightBitMime;
            }
            else if (Ascii.EqualsIgnoreCase(keyword, "SMTPUTF8"u8))
            {
                found |= SmtpExtensions.SmtpUtf8;
            }
            else if (Ascii.EqualsIgnoreCase(keyword, "DSN"u8))
            {
                found |= SmtpExtensions.Dsn;
            }
            else if (Ascii.EqualsIgnoreCase(keyword, "STARTTLS"u8))
            {
                found |= SmtpExtensions.StartTls;
            }
            else if (Ascii.EqualsIgnoreCase(keyword, "ENHANCEDSTATUSCODES"u8))
            {
                found |= SmtpExtensions.EnhancedStatusCodes;
            }
            else if (Ascii.EqualsIgnoreCase(keyword, "AUTH"u8))
            {
                foreach (var range in rest.Split((byte)' '))
                {
                    var mechanism = rest[range];
                    if (Ascii.EqualsIgnoreCase(mechanism, "PLAIN"u8)) found |= SmtpExtensions.AuthPlain;
                    else if (Ascii.EqualsIgnoreCase(mechanism, "LOGIN"u8)) found |= SmtpExtensions.AuthLogin;
                }
            }
        }
        return found;
    }
}
