using System.Net;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Core.Metrics;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Http;
using MailerQ.Www.Console.Settings;
using MailerQ.Www.Core.Delivery;

namespace MailerQ.Www.Console.Api;

/// <summary>
/// The MTA IPs page: <c>GET /api/ips</c> lists the local IPs this instance sends from (the configured defaults,
/// IPs in pools, IPs with a display name, and every IP the overview counted), <c>GET /api/ips/{ip}</c> one of
/// them with its routes, and <c>PUT /api/ips/{ip}</c> <c>{"name":"…"}</c> renames it: a display name stored in
/// the settings database (table <c>mta_labels</c>; an empty name removes it). The EHLO name (<c>mtanames</c>) is
/// shown, never changed here.
/// </summary>
internal sealed class MtaIpsEndpoint(ConsoleServices services)
{
    /// <summary>Display names are labels for people: one line, short enough for a table cell.</summary>
    private const int MaxLabel = 64;

    public ValueTask ListAsync(HttpContext context)
    {
        var entries = services.Overview.List(OverviewDimension.Mta, OverviewJson.Window);
        var routes = services.Delivery?.Routes(null, null) ?? [];
        var settings = services.DeliverySettings?.Current ?? SettingsSnapshot.Empty;
        var now = services.Time.GetUtcNow();
        var ips = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in entries) ips.Add(e.Name);
        foreach (var r in routes) if (r.Mta.Length > 0) ips.Add(r.Mta);
        foreach (var ip in services.Delivery?.DefaultIps ?? []) ips.Add(ip.ToString());
        foreach (var p in settings.Data.PoolIps) ips.Add(p.Ip);
        foreach (var l in settings.Data.MtaLabels) ips.Add(l.Ip);

        var w = ApiJson.Begin(context);
        w.WriteStartArray();
        foreach (var ip in ips)
        {
            var entry = DomainsEndpoint.Find(entries, ip);
            w.WriteStartObject();
            WriteIdentity(w, ip, settings);
            OverviewJson.WriteSix(w, "last"u8, entry.Last);
            OverviewJson.WriteSix(w, "totals"u8, entry.Totals);
            OverviewJson.WriteRouteSums(w, routes, r => string.Equals(r.Mta, ip, StringComparison.OrdinalIgnoreCase));
            w.WriteBoolean("paused"u8, SelectionPauses.Effective(settings, ip, null, null, now) is not null);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        ApiJson.End(w);
        return ValueTask.CompletedTask;
    }

    public ValueTask ItemAsync(HttpContext context)
    {
        if (!TryIp(context, out var ip)) return ValueTask.CompletedTask;
        var overview = services.Overview;
        var filter = new OverviewFilter(Mta: ip);
        var routes = services.Delivery?.Routes(ip, null) ?? [];
        var settings = services.DeliverySettings?.Current ?? SettingsSnapshot.Empty;
        var now = services.Time.GetUtcNow();
        var w = ApiJson.Begin(context);
        w.WriteStartObject();
        WriteIdentity(w, ip, settings);
        OverviewJson.WriteSix(w, "last"u8, overview.Last(OverviewJson.Window, filter));
        OverviewJson.WriteSix(w, "totals"u8, overview.Totals(filter));
        OverviewJson.WriteRouteSums(w, routes, r => string.Equals(r.Mta, ip, StringComparison.OrdinalIgnoreCase));
        OverviewJson.WritePause(w, "pause"u8, SelectionPauses.Exact(settings, ip, null, null, null, now));
        OverviewJson.WritePause(w, "pausedBy"u8, SelectionPauses.Effective(settings, ip, null, null, now));
        OverviewJson.WriteRoutes(w, routes, settings, now);
        w.WriteEndObject();
        ApiJson.End(w);
        return ValueTask.CompletedTask;
    }

    public async ValueTask RenameAsync(HttpContext context)
    {
        var cache = services.DeliverySettings;
        if (cache is null)
        {
            ApiJson.Error(context, 503, "no settings database");
            return;
        }
        if (!TryIp(context, out var ip)) return;
        string? label;
        using (var body = await ApiIo.ReadBodyAsync(context).ConfigureAwait(false))
        {
            if (body is null) return;
            if (!RequestFields.TryParseBody(context.Request.ContentType, body.WrittenSpan, out var fields, out var error))
            {
                ApiJson.Error(context, 400, error);
                return;
            }
            label = fields.Text("name")?.Trim();
        }
        if (label is { Length: > MaxLabel } || (label is not null && label.AsSpan().ContainsAnyInRange('\0', '\x1f')))
        {
            ApiJson.Error(context, 400, $"name must be one line of at most {MaxLabel} characters");
            return;
        }
        var user = ApiIo.UserOf(context);
        if (string.IsNullOrEmpty(label))
            await cache.WriteAsync((store, ct) => store.DeleteMtaLabelAsync(ip, user, ct)).ConfigureAwait(false);
        else
            await cache.WriteAsync(async (store, ct) =>
            {
                await store.SetMtaLabelAsync(new MtaLabel(ip, label), user, ct).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
        Log.Info("settings", "mta ip renamed", $"user={Log.Quote(user)} ip={ip} name={Log.Quote(label ?? "")}");
        var w = ApiJson.Begin(context);
        w.WriteStartObject();
        WriteIdentity(w, ip, cache.Current);
        w.WriteEndObject();
        ApiJson.End(w);
    }

    /// <summary><c>ip</c>, <c>name</c> (display name or null), <c>ehlo</c> (mtanames or null), <c>pool</c>.</summary>
    private static void WriteIdentity(System.Text.Json.Utf8JsonWriter w, string ip, SettingsSnapshot settings)
    {
        w.WriteString("ip"u8, ip);
        ApiIo.WriteOptional(w, "name"u8, settings.MtaLabel(ip));
        ApiIo.WriteOptional(w, "ehlo"u8, settings.MtaName(ip));
        ApiIo.WriteOptional(w, "pool"u8, settings.PoolOf(ip));
    }

    /// <summary>The IP of the path, in one spelling (an IPv4-mapped IPv6 address as IPv4), or a 404 answered.</summary>
    private static bool TryIp(HttpContext context, out string ip)
    {
        ip = "";
        if (PathSegment.TryDecode(context.RouteRemainder, out var text) && Selectors.IsIp(text) && IPAddress.TryParse(text, out var address))
        {
            ip = (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
            return true;
        }
        ApiJson.Error(context, 404, "not found");
        return false;
    }
}
