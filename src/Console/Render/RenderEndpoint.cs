using System.Text;
using MailerQ.Www.Http;
using MailerQ.Www.Console.Api;

namespace MailerQ.Www.Console.Render;

/// <summary>
/// <c>GET /render/{id}</c>: a kept message's HTML part as a page the console shows in a sandboxed iframe, and
/// <c>GET /render/{id}/cid/{content-id}</c>: a part of the same message its HTML refers to by <c>cid:</c>.
/// </summary>
/// <remarks>
/// Mail is hostile content. The page's Content-Security-Policy sandboxes it (no scripts, no forms, an opaque
/// origin that cannot read the console's cookies or API) and allows only images and inline styles;
/// <c>nosniff</c> stops a browser from guessing a more dangerous type; no-referrer keeps the message id off
/// remote image requests. <c>render-useragent</c> is checked first, before the message is even looked up.
/// </remarks>
internal sealed class RenderEndpoint
{
    /// <summary>The policy the issue prescribes for rendered mail.</summary>
    public static readonly byte[] ContentSecurityPolicy =
        "sandbox; default-src 'none'; img-src * data: cid:; style-src 'unsafe-inline'"u8.ToArray();

    private static readonly byte[] TextHtml = "text/html; charset=utf-8"u8.ToArray();

    private readonly ConsoleServices _services;
    private readonly byte[]? _requiredUserAgent;

    public RenderEndpoint(ConsoleServices services)
    {
        _services = services;
        _requiredUserAgent = services.RenderUserAgent is { } ua ? Encoding.UTF8.GetBytes(ua) : null;
    }

    public ValueTask HandleAsync(HttpContext context)
    {
        if (!RenderRefusal.Allows(context, _requiredUserAgent, _services.RenderUserAgent)) return ValueTask.CompletedTask;

        // The remainder after /render/ is "{id}" or "{id}/cid/{content-id}".
        var rest = context.RouteRemainder;
        int slash = rest.IndexOf((byte)'/');
        var id = slash < 0 ? rest : rest[..slash];
        ReadOnlySpan<byte> cid = default;
        if (slash >= 0)
        {
            var tail = rest[(slash + 1)..];
            if (!tail.StartsWith("cid/"u8) || tail.Length == 4)
            {
                NotFound(context);
                return ValueTask.CompletedTask;
            }
            cid = tail[4..];
        }

        var raw = StoredMessage.ReadRaw(_services.Messages, id);
        var message = raw is null ? null : StoredMessage.Parse(raw);
        if (message is null)
        {
            NotFound(context);
            return ValueTask.CompletedTask;
        }

        var response = context.Response;
        if (cid.IsEmpty)
        {
            var html = StoredMessage.Html(message);
            if (html is null)
            {
                NotFound(context);
                return ValueTask.CompletedTask;
            }
            Protect(response);
            response.SetContentType(TextHtml);
            response.Write(new InlineImages(message, Encoding.ASCII.GetString(id)).Render(html));
            return ValueTask.CompletedTask;
        }

        var part = StoredMessage.FindByContentId(message, CidRewriter.Unescape(Encoding.UTF8.GetString(cid)));
        if (part?.Content is null)
        {
            NotFound(context);
            return ValueTask.CompletedTask;
        }
        using var decoded = new MemoryStream();
        part.Content.DecodeTo(decoded);
        Protect(response);
        response.SetContentType(SafeMediaType(part.ContentType.MimeType));
        response.Write(decoded.GetBuffer().AsSpan(0, (int)decoded.Length));
        return ValueTask.CompletedTask;
    }

    private static void Protect(Http.Responses.HttpResponse response)
    {
        response.AddHeader("Content-Security-Policy"u8, ContentSecurityPolicy);
        response.AddHeader("X-Content-Type-Options"u8, "nosniff"u8);
        response.AddHeader("Referrer-Policy"u8, "no-referrer"u8);
        ApiJson.NoStore(response);
    }

    /// <summary>The part's media type when it is a plain <c>type/subtype</c>; anything odd is served as bytes.</summary>
    internal static string SafeMediaType(string mediaType)
    {
        if (mediaType.Length is 0 or > 127) return "application/octet-stream";
        foreach (char c in mediaType)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '+' or '-' or '_')) return "application/octet-stream";
        }
        // A part claiming to be a page is shown as its source; the sandbox policy above already keeps scripts (SVG too) from running.
        var lower = mediaType.ToLowerInvariant();
        return lower is "text/html" or "application/xhtml+xml" ? "text/plain; charset=utf-8" : lower;
    }

    private static void NotFound(HttpContext context)
    {
        context.Response.SetError(404);
        ApiJson.NoStore(context.Response);
    }
}
