using MailerQ.Www.Core.Messages;
using MimeKit;

namespace MailerQ.Www.Console.Render;

/// <summary>
/// Finds a kept message for the message view: the id must look like an id (letters, digits, <c>-</c> and <c>_</c>,
/// so no path can be smuggled in whatever the source does with it), the bytes come from the
/// <see cref="IMessageSource"/> (ours checks its own id format too), and MimeKit parses them.
/// </summary>
internal static class StoredMessage
{
    static StoredMessage()
    {
        // MimeKit converts charsets with Encoding.GetEncoding; without the code-page provider .NET knows only
        // the Unicode ones, ASCII and Latin-1, and KOI8-R, Windows-1251, Shift_JIS… would come out as Latin-1.
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
    }

    /// <summary>Longest id passed to the source (ours: 32 hex digits, a UUIDv7).</summary>
    public const int MaxIdLength = 128;

    /// <summary>The raw MIME, or null when the id is malformed, unknown or evicted.</summary>
    public static byte[]? ReadRaw(IMessageSource? store, ReadOnlySpan<byte> id)
    {
        if (store is null || id.IsEmpty || id.Length > MaxIdLength) return null;
        foreach (byte b in id)
            if (b is not ((>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (byte)'-' or (byte)'_'))
                return null;
        return store.ReadRaw(System.Text.Encoding.ASCII.GetString(id));
    }

    /// <summary>The parsed message; null when MimeKit cannot make a message of it.</summary>
    public static MimeMessage? Parse(byte[] raw)
    {
        try
        {
            using var stream = new MemoryStream(raw, writable: false);
            return MimeMessage.Load(stream);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// The HTML body as text: MimeKit picks it out of multipart/alternative and multipart/related, undoes
    /// quoted-printable or base64 and converts from the part's charset. Null when there is none.
    /// </summary>
    public static string? Html(MimeMessage message) => message.HtmlBody;

    /// <summary>The body part whose Content-ID is <paramref name="contentId"/> (without angle brackets), or null.</summary>
    public static MimePart? FindByContentId(MimeMessage message, string contentId)
    {
        foreach (var entity in message.BodyParts)
        {
            if (entity is MimePart part && part.ContentId is { } id && string.Equals(id, contentId, StringComparison.Ordinal))
                return part;
        }
        return null;
    }
}
