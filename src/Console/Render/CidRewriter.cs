using System.Text.RegularExpressions;

namespace MailerQ.Www.Console.Render;

/// <summary>
/// Resolves <c>cid:</c> references (RFC 2392: images carried inside the message) so a rendered mail shows its
/// own images without reaching out anywhere: an image part becomes a <c>data:</c> URI in the page itself
/// (see <see cref="InlineImages"/> for why), anything else points at <c>/render/{id}/cid/{content-id}</c>.
/// </summary>
internal static partial class CidRewriter
{
    // RFC 2392 §2: "cid:" followed by a URL-encoded addr-spec; it ends where an attribute value or CSS url() ends.
    [GeneratedRegex("""\bcid:([^"'\s<>()]+)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CidUrl();

    /// <param name="inline">The replacement for a content id (a <c>data:</c> URI), or null to link to the cid route.</param>
    public static string Rewrite(string html, string messageId, Func<string, string?>? inline = null)
    {
        if (!html.Contains("cid:", StringComparison.OrdinalIgnoreCase)) return html;
        return CidUrl().Replace(html, match =>
        {
            string contentId = Unescape(match.Groups[1].Value);
            return inline?.Invoke(contentId) ?? $"/render/{messageId}/cid/{Uri.EscapeDataString(contentId)}";
        });
    }

    /// <summary>URL-decodes a cid (RFC 2392 says it is URL-encoded); a broken escape is kept as written.</summary>
    public static string Unescape(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value);
        }
        catch (UriFormatException)
        {
            return value;
        }
    }
}
