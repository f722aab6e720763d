using MailerQ.Www.Http;

namespace MailerQ.Www.Host.Web.Api;

/// <summary>
/// <c>GET /api/cluster</c>: <c>[{"host","url","self","lastSeen"}]</c>. Until instances announce themselves to
/// each other (the cluster issue), the list is this instance alone, seen now.
/// </summary>
internal sealed class ClusterEndpoint(ConsoleServices services)
{
    public ValueTask HandleAsync(HttpContext context)
    {
        var identity = services.Identity.Value;
        var writer = ApiJson.Begin(context);
        writer.WriteStartArray();
        writer.WriteStartObject();
        writer.WriteString("host"u8, identity.Host);
        writer.WriteString("url"u8, identity.Url);
        writer.WriteBoolean("self"u8, true);
        writer.WriteString("lastSeen"u8, services.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteEndObject();
        writer.WriteEndArray();
        ApiJson.End(writer);
        return ValueTask.CompletedTask;
    }
}
