using MailerQ.Www.Core.Settings;
using MailerQ.Www.Http;

namespace MailerQ.Www.Console.Api;

/// <summary>
/// <c>GET /api/status?mta=&amp;domain=&amp;tag=</c>: the overview's status bar and its Running toggle. Counts of the
/// settings that hold mail back (active pauses, forced errors, suppressions), what the engine holds (parked by a
/// pause, on hand, open connections), and for the selection the pause a toggle made (<c>pause</c>, exactly these
/// fields) and the pause that stops its mail now (<c>pausedBy</c>, perhaps a broader one).
/// </summary>
internal sealed class StatusEndpoint(ConsoleServices services)
{
    public ValueTask HandleAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (!QueryString.TryGetText(query, "mta"u8, out var mta)
            || !QueryString.TryGetText(query, "domain"u8, out var domain)
            || !QueryString.TryGetText(query, "tag"u8, out var tag))
        {
            ApiJson.Error(context, 400, "malformed filter (mta, domain, tag)");
            return ValueTask.CompletedTask;
        }
        var settings = services.DeliverySettings?.Current ?? SettingsSnapshot.Empty;
        var now = services.Time.GetUtcNow();
        var engine = services.Delivery;

        var w = ApiJson.Begin(context);
        w.WriteStartObject();
        w.WriteNumber("pauses"u8, SelectionPauses.Active(settings, now));
        w.WriteNumber("forcedErrors"u8, settings.Data.ForcedErrors.Count);
        w.WriteNumber("suppressions"u8, settings.Data.Suppressions.Count);
        w.WriteNumber("throttles"u8, settings.Data.Throttles.Count);
        w.WriteNumber("parked"u8, engine?.Parked ?? 0);
        w.WriteNumber("handling"u8, engine?.Handling ?? 0);
        w.WriteNumber("connections"u8, engine?.OpenConnections ?? 0);
        w.WriteBoolean("delivery"u8, engine is not null);
        w.WriteStartObject("selection"u8);
        Settings.ApiIo.WriteOptional(w, "mta"u8, mta);
        Settings.ApiIo.WriteOptional(w, "domain"u8, domain);
        Settings.ApiIo.WriteOptional(w, "tag"u8, tag);
        OverviewJson.WritePause(w, "pause"u8, SelectionPauses.Exact(settings, mta, domain, null, tag, now));
        OverviewJson.WritePause(w, "pausedBy"u8, SelectionPauses.Effective(settings, mta, domain?.ToLowerInvariant(), tag, now));
        w.WriteEndObject();
        w.WriteEndObject();
        ApiJson.End(w);
        return ValueTask.CompletedTask;
    }
}
