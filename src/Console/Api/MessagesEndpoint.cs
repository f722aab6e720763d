using MailerQ.Www.Http;
using MailerQ.Www.Console.Render;

namespace MailerQ.Www.Console.Api;

/// <summary>
/// <c>GET /api/messages/{id}/raw</c> (the stored MIME as <c>message/rfc822</c>) and
/// <c>GET /api/messages/{id}/html</c> (the HTML part's source, decoded, as UTF-8 text; 404 without one).
/// <c>GET /api/messages/{id}/structure</c> (headers and MIME tree, <see cref="MessageStructureJson"/>).
/// Ids are checked before any file is touched (<see cref="StoredMessage.ReadRaw"/>).
/// </summary>
internal sealed class MessagesEndpoint(ConsoleServices services)
{
    private static readonly byte[] MessageRfc822 = "message/rfc822"u8.ToArray();

    public ValueTask HandleAsync(HttpContext context)
    {
        // The remainder after /api/messages/ is "{id}/raw" or "{id}/html".
        var rest = context.RouteRemainder;
        int slash = rest.IndexOf((byte)'/');
        var what = slash < 0 ? default : rest[(slash + 1)..];
        bool raw = what.SequenceEqual("raw"u8);
        bool structure = what.SequenceEqual("structure"u8);
        if (slash < 0 || !(raw || structure || what.SequenceEqual("html"u8)))
        {
            ApiJson.Error(context, 404, "not found");
            return ValueTask.CompletedTask;
        }
        var bytes = StoredMessage.ReadRaw(services.Messages, rest[..slash]);
        if (bytes is null)
        {
            ApiJson.Error(context, 404, "no such message");
            return ValueTask.CompletedTask;
        }

        var response = context.Response;
        if (raw)
        {
            response.SetContentType(MessageRfc822);
            ApiJson.NoStore(response);
            response.AddHeader("X-Content-Type-Options"u8, "nosniff"u8);
            response.SetBody(bytes);
            return ValueTask.CompletedTask;
        }

        var parsed = StoredMessage.Parse(bytes);
        if (structure)
        {
            if (parsed is null)
            {
                ApiJson.Error(context, 422, "the message cannot be parsed as MIME");
                return ValueTask.CompletedTask;
            }
            var writer = ApiJson.Begin(context);
            MessageStructureJson.Write(writer, System.Text.Encoding.ASCII.GetString(rest[..slash]), bytes.Length, parsed);
            ApiJson.End(writer);
            return ValueTask.CompletedTask;
        }

        var html = parsed is { } message ? StoredMessage.Html(message) : null;
        if (html is null)
        {
            ApiJson.Error(context, 404, "the message has no HTML part");
            return ValueTask.CompletedTask;
        }
        // Plain text, never text/html: this is the source to read, not a page to run.
        response.SetContentType(Http.Responses.HttpResponse.TextPlain);
        ApiJson.NoStore(response);
        response.AddHeader("X-Content-Type-Options"u8, "nosniff"u8);
        response.Write(html);
        return ValueTask.CompletedTask;
    }
}
