using System.Text.Json;
using MailerQ.Www.Core.Metrics;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Console.Settings;
using MailerQ.Www.Core.Delivery;

namespace MailerQ.Www.Console.Api;

/// <summary>The pieces the Domains, MTA IPs and Tags routes write alike: the six numbers, pauses, routes.</summary>
internal static class OverviewJson
{
    /// <summary>The window of the lists' "last" numbers: the overview tiles' 60 s.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    /// <summary><c>"name":{"connects":…,"attempts":…,…}</c>, the names of <c>/api/stats</c>.</summary>
    public static void WriteSix(Utf8JsonWriter w, ReadOnlySpan<byte> name, OverviewSnapshot s)
    {
        w.WriteStartObject(name);
        w.WriteNumber("connects"u8, s.Connects);
        w.WriteNumber("attempts"u8, s.Attempts);
        w.WriteNumber("deliveries"u8, s.Deliveries);
        w.WriteNumber("errors"u8, s.Errors);
        w.WriteNumber("strange"u8, s.Strange);
        w.WriteNumber("notTried"u8, s.NotTried);
        w.WriteEndObject();
    }

    /// <summary>A pause object as <c>/v1/pauses</c> lists it, or null.</summary>
    public static void WritePause(Utf8JsonWriter w, ReadOnlySpan<byte> name, Pause? pause)
    {
        w.WritePropertyName(name);
        if (pause is null) w.WriteNullValue();
        else SettingsJson.Write(w, pause);
    }

    /// <summary>Routes with their remote IPs; each remote IP says whether a pause names it (the page's toggle).</summary>
    /// <summary><c>open</c>, <c>idle</c>, <c>handling</c> summed over the routes of one domain or MTA IP.</summary>
    public static void WriteRouteSums(Utf8JsonWriter w, List<RouteView> routes, Func<RouteView, bool> belongs)
    {
        int open = 0, idle = 0, handling = 0;
        foreach (var r in routes)
        {
            if (!belongs(r)) continue;
            open += r.Open;
            idle += r.Idle;
            handling += r.Handling;
        }
        w.WriteNumber("open"u8, open);
        w.WriteNumber("idle"u8, idle);
        w.WriteNumber("handling"u8, handling);
    }

    public static void WriteRoutes(Utf8JsonWriter w, List<RouteView> routes, SettingsSnapshot settings, DateTimeOffset now)
    {
        w.WriteStartArray("routes"u8);
        foreach (var r in routes)
        {
            w.WriteStartObject();
            w.WriteString("mta"u8, r.Mta);
            w.WriteString("domain"u8, r.Domain);
            w.WriteString("hop"u8, r.Hop);
            w.WriteString("security"u8, r.Security);
            w.WriteNumber("open"u8, r.Open);
            w.WriteNumber("idle"u8, r.Idle);
            w.WriteNumber("handling"u8, r.Handling);
            w.WriteStartArray("remoteIps"u8);
            foreach (var ip in r.RemoteIps)
            {
                w.WriteStartObject();
                w.WriteString("ip"u8, ip.Ip);
                w.WriteString("host"u8, ip.HostName);
                w.WriteNumber("port"u8, ip.Port);
                w.WriteNumber("open"u8, ip.Open);
                WritePause(w, "pause"u8, SelectionPauses.Exact(settings, null, null, ip.Ip, null, now));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
