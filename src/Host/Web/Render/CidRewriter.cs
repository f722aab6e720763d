using System.Text.RegularExpressions;

namespace MailerQ.Www.Host.Web.Render;

/// <summary>
/// Points <c>cid:</c> references (RFC 2392: images carried inside the message) at
/// <c>/render/{id}/cid/{content-id}</c>, which serves that part from the same message, so a rendered mail
/// shows its own images without reaching out anywhere.
/// </summary>
internal static partial class CidRewriter
{
    // RFC 2392 §2: "cid:" followed by a URL-encoded addr-spec; it ends where an attribute value or CSS url() ends.
    [GeneratedRegex("""\bcid:([^"'\s<>()]+)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CidUrl();

    public static string Rewrite(string html, string messageId)
    {
        if (!html.Contains("cid:", StringComparison.OrdinalIgnoreCase)) return html;
        return CidUrl().Replace(html, match =>
        {
            string contentId = Unescape(match.Groups[1].Value);
            return $"/render/{messageId}/cid/{Uri.EscapeDataString(contentId)}";
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
