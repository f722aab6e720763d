using MailerQ.Www.Core.Metrics;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Http;

namespace MailerQ.Www.Console.Api;

/// <summary>
/// The Tags page: <c>GET /api/tags</c> lists the tags the overview counted (recently used tags, MailerQ's page),
/// <c>GET /api/tags/{tag}</c> one tag with the pause that names it.
/// </summary>
internal sealed class TagsEndpoint(ConsoleServices services)
{
    public ValueTask ListAsync(HttpContext context)
    {
        var entries = services.Overview.List(OverviewDimension.Tag, OverviewJson.Window);
        entries.Sort(static (a, b) => string.Compare(a.Name, b.Name, StringComparison.OrdinalIgnoreCase));
        var settings = services.DeliverySettings?.Current ?? SettingsSnapshot.Empty;
        var now = services.Time.GetUtcNow();
        var w = ApiJson.Begin(context);
        w.WriteStartArray();
        foreach (var e in entries)
        {
            w.WriteStartObject();
            w.WriteString("name"u8, e.Name);
            OverviewJson.WriteSix(w, "last"u8, e.Last);
            OverviewJson.WriteSix(w, "totals"u8, e.Totals);
            w.WriteBoolean("paused"u8, SelectionPauses.Effective(settings, null, null, e.Name, now) is not null);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        ApiJson.End(w);
        return ValueTask.CompletedTask;
    }

    public ValueTask ItemAsync(HttpContext context)
    {
        if (!PathSegment.TryDecode(context.RouteRemainder, out var name))
        {
            ApiJson.Error(context, 404, "not found");
            return ValueTask.CompletedTask;
        }
        var overview = services.Overview;
        var filter = new OverviewFilter(Tag: name);
        var settings = services.DeliverySettings?.Current ?? SettingsSnapshot.Empty;
        var now = services.Time.GetUtcNow();
        var w = ApiJson.Begin(context);
        w.WriteStartObject();
        w.WriteString("name"u8, name);
        OverviewJson.WriteSix(w, "last"u8, overview.Last(OverviewJson.Window, filter));
        OverviewJson.WriteSix(w, "totals"u8, overview.Totals(filter));
        OverviewJson.WritePause(w, "pause"u8, SelectionPauses.Exact(settings, null, null, null, name, now));
        OverviewJson.WritePause(w, "pausedBy"u8, SelectionPauses.Effective(settings, null, null, name, now));
        w.WriteEndObject();
        ApiJson.End(w);
        return ValueTask.CompletedTask;
    }
}
