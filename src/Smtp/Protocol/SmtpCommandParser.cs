using System.Buffers;
using System.Text;

namespace MailerQ.Www.Smtp.Protocol;

/// <summary>
/// Recognises the verb of a command line (RFC 5321 section 4.1.1: verbs are case-insensitive and end at a
/// space or the line end). Argument syntax is checked by the command's handler, so a bad argument is a reply
/// value, never an exception.
/// </summary>
internal static class SmtpCommandParser
{
    public static bool TryMake(ReadOnlySpan<byte> line, out SmtpCommand command)
    {
        int space = line.IndexOf((byte)' ');
        var verb = space < 0 ? line : line[..space];
        int argumentStart = space < 0 ? line.Length : space + 1;
        while (argumentStart < line.Length && line[argumentStart] == (byte)' ')
            argumentStart++;

        var kind = verb.Length switch
        {
            4 => Verb4(verb),
            8 when Ascii.EqualsIgnoreCase(verb, "STARTTLS"u8) => SmtpCommandKind.StartTls,
            _ => SmtpCommandKind.Unknown,
        };
        command = new SmtpCommand(kind, argumentStart);
        return kind != SmtpCommandKind.Unknown;
    }

    private static SmtpCommandKind Verb4(ReadOnlySpan<byte> verb)
    {
        // Fold to upper case in a register: the four letters as one little-endian uint.
        uint word = (uint)(verb[0] | (verb[1] << 8) | (verb[2] << 16) | (verb[3] << 24)) & 0xDFDFDFDF;
        return word switch
        {
            0x4F4C4548 => SmtpCommandKind.Helo, // HELO
            0x4F4C4845 => SmtpCommandKind.Ehlo, // EHLO
            0x4C49414D => SmtpCommandKind.Mail, // MAIL
            0x54504352 => SmtpCommandKind.Rcpt, // RCPT
            0x41544144 => SmtpCommandKind.Data, // DATA
            0x54414442 => SmtpCommandKind.Bdat, // BDAT
            0x54455352 => SmtpCommandKind.Rset, // RSET
            0x504F4F4E => SmtpCommandKind.Noop, // NOOP
            0x54495551 => SmtpCommandKind.Quit, // QUIT
            0x59465256 => SmtpCommandKind.Vrfy, // VRFY
            0x4E505845 => SmtpCommandKind.Expn, // EXPN
            0x504C4548 => SmtpCommandKind.Help, // HELP
            0x48545541 => SmtpCommandKind.Auth, // AUTH
            _ => SmtpCommandKind.Unknown,
        };
    }
}
