using System.Text;
using MailerQ.Www.Http;
using MailerQ.Www.Console.Api;

namespace MailerQ.Www.Console.Render;

/// <summary>
/// <c>GET /api/render-policy</c>: whether this browser may render mail under <c>render-useragent</c>, and which
/// User-Agent the setting requires, so the message view can tell the operator before it loads a refused iframe:
/// <c>{"setting":"render-useragent","required":"…"|null,"allowed":bool,"userAgent":"…"}</c>.
/// </summary>
/// <remarks>
/// The browser sends the same User-Agent on this fetch as on the iframe's request, so the answer predicts the
/// iframe's. The required value is no secret from a logged-in operator: the 403 page names it too.
/// </remarks>
internal sealed class RenderPolicyEndpoint(ConsoleServices services)
{
    private readonly byte[]? _required = services.RenderUserAgent is { } ua ? Encoding.UTF8.GetBytes(ua) : null;

    public ValueTask HandleAsync(HttpContext context)
    {
        var userAgent = context.Request.UserAgent;
        var writer = ApiJson.Begin(context);
        writer.WriteStartObject();
        writer.WriteString("setting"u8, "render-useragent"u8);
        if (services.RenderUserAgent is { } required) writer.WriteString("required"u8, required);
        else writer.WriteNull("required"u8);
        writer.WriteBoolean("allowed"u8, _required is null || userAgent.SequenceEqual(_required));
        writer.WriteString("userAgent"u8, Encoding.UTF8.GetString(userAgent));
        writer.WriteEndObject();
        ApiJson.End(writer);
        return ValueTask.CompletedTask;
    }
}
