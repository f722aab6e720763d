using MimeKit;

namespace MailerQ.Www.Console.Render;

/// <summary>
/// Turns a message's <c>cid:</c> image parts into <c>data:</c> URIs for <c>/render/{id}</c>.
/// </summary>
/// <remarks>
/// The console shows <c>/render/{id}</c> in <c>&lt;iframe sandbox&gt;</c> and the page's CSP says <c>sandbox</c>
/// too, so the rendered mail has an opaque origin. Requests it makes are cross-site: the SameSite=Strict session
/// cookie is not sent and a <c>/render/{id}/cid/…</c> image fails the login gate. Chromium (checked with the
/// browser tests) does not even issue the request. Carrying the images in the page needs no cookie, no token and
/// no change to the gate, and the CSP already allows <c>img-src data:</c>. Only <c>image/*</c> parts are inlined
/// (a data: URI of another type could be navigated to), within a byte budget; the rest keep the cid route.
/// </remarks>
internal sealed class InlineImages(MimeMessage message, string messageId)
{
    /// <summary>Decoded bytes inlined per page at most (base64 makes the page a third larger).</summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    private readonly Dictionary<string, string?> _done = new(StringComparer.Ordinal);
    private int _budget = MaxBytes;

    public string Render(string html) => CidRewriter.Rewrite(html, messageId, Resolve);

    private string? Resolve(string contentId)
    {
        if (_done.TryGetValue(contentId, out var known)) return known;
        string? uri = null;
        if (StoredMessage.FindByContentId(message, contentId) is { Content: not null } part
            && part.ContentType.IsMimeType("image", "*")
            && RenderEndpoint.SafeMediaType(part.ContentType.MimeType) is var type && type.StartsWith("image/", StringComparison.Ordinal))
        {
            using var decoded = new MemoryStream();
            part.Content.DecodeTo(decoded);
            if (decoded.Length <= _budget)
            {
                _budget -= (int)decoded.Length;
                uri = $"data:{type};base64,{Convert.ToBase64String(decoded.GetBuffer(), 0, (int)decoded.Length)}";
            }
        }
        _done[contentId] = uri;
        return uri;
    }
}
