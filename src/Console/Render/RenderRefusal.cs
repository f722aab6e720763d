using System.Net;
using MailerQ.Www.Http;
using MailerQ.Www.Console.Api;

namespace MailerQ.Www.Console.Render;

/// <summary>
/// <c>render-useragent</c> (MailerQ's management console docs): when set, only a browser sending exactly that
/// User-Agent may render mail, so that opens and clicks from the console can be told apart by tracking
/// servers. Any other browser gets 403 and this page, never a byte of the message.
/// </summary>
internal static class RenderRefusal
{
    /// <summary>True when the request may see rendered mail; otherwise the response is the 403 page.</summary>
    /// <param name="required">The setting's value as UTF-8 bytes; null = not set.</param>
    public static bool Allows(HttpContext context, byte[]? required, string? requiredText)
    {
        if (required is null) return true;
        // "Exactly": byte for byte, case and spaces included.
        if (context.Request.UserAgent.SequenceEqual(required)) return true;
        Refuse(context, requiredText ?? "");
        return false;
    }

    private static void Refuse(HttpContext context, string requiredUserAgent)
    {
        var response = context.Response;
        response.Reset();
        response.StatusCode = 403;
        response.SetContentType("text/html; charset=utf-8");
        ApiJson.NoStore(response);
        response.AddHeader("X-Content-Type-Options"u8, "nosniff"u8);
        response.AddHeader("Content-Security-Policy"u8, "default-src 'none'; style-src 'unsafe-inline'"u8);
        response.Write(
            "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Rendering not allowed</title></head>\n" +
            "<body style=\"font-family:sans-serif;margin:2em\"><h1>Rendering not allowed</h1>\n" +
            "<p>This browser's user agent is not allowed to render messages.</p>\n" +
            "<p>The server's <code>render-useragent</code> setting allows only browsers whose User-Agent is exactly " +
            $"<code>{WebUtility.HtmlEncode(requiredUserAgent)}</code>.</p>\n</body></html>\n");
    }
}
