using MailerQ.Www.Smtp.Queue;
using MailerQ.Www.Smtp.Storage;
using MimeKit;

namespace MailerQ.Www.Host.Web.Render;

/// <summary>
/// Finds a kept message for the message view: the id must be one of ours (32 lower-case hex digits, so no
/// path can be smuggled in), the bytes come from the <see cref="MessageStore"/>, and MimeKit parses them.
/// </summary>
internal static class StoredMessage
{
    static StoredMessage()
    {
        // MimeKit converts charsets with Encoding.GetEncoding; without the code-page provider .NET knows only
        // the Unicode ones, ASCII and Latin-1, and KOI8-R, Windows-1251, Shift_JIS… would come out as Latin-1.
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
    }

    /// <summary>Length of a message id (<see cref="MessageIds"/>: UUIDv7 as 32 hex digits).</summary>
    public const int IdLength = 32;

    /// <summary>The raw MIME, or null when the id is malformed, unknown or evicted.</summary>
    public static byte[]? ReadRaw(MessageStore? store, ReadOnlySpan<byte> id)
    {
        if (store is null || id.Length != IdLength) return null;
        Span<char> chars = stackalloc char[IdLength];
        for (int i = 0; i < IdLength; i++) chars[i] = (char)id[i];
        if (!MessageIds.IsValid(chars)) return null;
        return store.ReadRaw(new string(chars));
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
