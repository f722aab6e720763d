using MailerQ.Www.Core.Metrics;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Http;
using MailerQ.Www.Core.Delivery;

namespace MailerQ.Www.Console.Api;

/// <summary>
/// The Domains page: <c>GET /api/domains</c> lists every recipient domain the overview counted or the engine is
/// delivering to, with its numbers, connections and messages on hand; <c>GET /api/domains/{domain}</c> adds the
/// routes with the remote IPs they go to and the pauses that concern the domain.
/// </summary>
internal sealed class DomainsEndpoint(ConsoleServices services)
{
    public ValueTask ListAsync(HttpContext context)
    {
        var entries = services.Overview.List(OverviewDimension.Domain, OverviewJson.Window);
        var routes = services.Delivery?.Routes(null, null) ?? [];
        var names = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in entries) names.Add(e.Name);
        foreach (var r in routes) names.Add(r.Domain);
        var settings = services.DeliverySettings?.Current ?? SettingsSnapshot.Empty;
        var now = services.Time.GetUtcNow();

        var w = ApiJson.Begin(context);
        w.WriteStartArray();
        foreach (var name in names)
        {
            var entry = Find(entries, name);
            w.WriteStartObject();
            w.WriteString("name"u8, name);
            OverviewJson.WriteSix(w, "last"u8, entry.Last);
            OverviewJson.WriteSix(w, "totals"u8, entry.Totals);
            OverviewJson.WriteRouteSums(w, routes, r => string.Equals(r.Domain, name, StringComparison.OrdinalIgnoreCase));
            w.WriteBoolean("paused"u8, SelectionPauses.Effective(settings, null, name, null, now) is not null);
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
        name = name.TrimEnd('.').ToLowerInvariant();
        var overview = services.Overview;
        var filter = new OverviewFilter(Domain: name);
        var routes = services.Delivery?.Routes(null, name) ?? [];
        var settings = services.DeliverySettings?.Current ?? SettingsSnapshot.Empty;
        var now = services.Time.GetUtcNow();

        var w = ApiJson.Begin(context);
        w.WriteStartObject();
        w.WriteString("name"u8, name);
        OverviewJson.WriteSix(w, "last"u8, overview.Last(OverviewJson.Window, filter));
        OverviewJson.WriteSix(w, "totals"u8, overview.Totals(filter));
        OverviewJson.WriteRouteSums(w, routes, r => string.Equals(r.Domain, name, StringComparison.OrdinalIgnoreCase));
        OverviewJson.WritePause(w, "pause"u8, SelectionPauses.Exact(settings, null, name, null, null, now));
        OverviewJson.WritePause(w, "pausedBy"u8, SelectionPauses.Effective(settings, null, name, null, now));
        OverviewJson.WriteRoutes(w, routes, settings, now);
        w.WriteEndObject();
        ApiJson.End(w);
        return ValueTask.CompletedTask;
    }

    internal static OverviewEntry Find(List<OverviewEntry> entries, string name)
    {
        foreach (var e in entries)
            if (string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)) return e;
        return new OverviewEntry(name, default, default);
    }
}
