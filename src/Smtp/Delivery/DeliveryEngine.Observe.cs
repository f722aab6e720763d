using MailerQ.Www.Core.Delivery;
using MailerQ.Www.Smtp.Client;
using MailerQ.Www.Smtp.Delivery.Routing;

namespace MailerQ.Www.Smtp.Delivery;

/// <summary>
/// Read-only views of the engine for the console (Domains and MTA IPs pages): what each route is doing now.
/// Nothing here takes a lock the delivery path holds for long or changes a counter: the routes are a
/// concurrent dictionary read by enumeration (a snapshot that may miss a route created meanwhile), the counts
/// are volatile reads, and the idle count takes the route's short pool lock, as returning a connection does.
/// </summary>
internal sealed partial class DeliveryEngine : IDeliveryView
{
    /// <summary>Every route the engine holds now (routes unused for 10 minutes are dropped by housekeeping).</summary>
    public List<RouteView> Routes() => Routes(null, null);

    /// <summary>
    /// Routes whose source IP is <paramref name="mta"/> and/or whose recipient domain is <paramref name="domain"/>
    /// (null = any; compared without regard to case).
    /// </summary>
    public List<RouteView> Routes(string? mta, string? domain)
    {
        var result = new List<RouteView>();
        foreach (var route in _routes.Values)
        {
            var key = route.Key;
            if (mta is not null && !string.Equals(key.Mta, mta, StringComparison.OrdinalIgnoreCase)) continue;
            if (domain is not null && !string.Equals(key.Domain, domain, StringComparison.OrdinalIgnoreCase)) continue;
            result.Add(View(route));
        }
        return result;
    }

    private RouteView View(DeliveryRoute route)
    {
        var key = route.Key;
        var remotes = new List<RemoteIpView>();
        if (route.Destination is { } destination)
        {
            foreach (var hop in destination.Hops)
            {
                string ip = Unmapped(hop.EndPoint.Address).ToString();
                bool seen = false;
                foreach (var r in remotes)
                    seen |= r.Ip == ip && r.Port == hop.EndPoint.Port;
                if (seen) continue;
                int open = _remotes.TryGetValue(new RemoteKey(key.Mta, ip), out var state) ? state.Open : 0;
                remotes.Add(new RemoteIpView(ip, hop.HostName, hop.EndPoint.Port, open));
            }
        }
        return new RouteView(key.Mta, key.Domain, key.Hop, SecurityName(key.Security), route.Open, route.IdleCount, route.Handling, remotes);
    }

    /// <summary>The source IPs used when a message names neither IPs nor a pool (<c>smtp-ip</c> defaults), for the MTA IPs page.</summary>
    public IReadOnlyList<System.Net.IPAddress> DefaultIps => _options.DefaultIps;

    /// <summary>Messages the engine holds now (taken from the outbox, not yet finished), all routes together.</summary>
    public int Handling
    {
        get
        {
            int n = 0;
            foreach (var route in _routes.Values)
                n += route.Handling;
            return n;
        }
    }

    /// <summary>The console's name of a TLS policy (<c>/api/domains/{domain}</c> "routes").</summary>
    internal static string SecurityName(DeliverySecurity security) => security switch
    {
        DeliverySecurity.Optional => "optional",
        DeliverySecurity.Opportunistic => "opportunistic",
        DeliverySecurity.Required => "required",
        _ => "verified",
    };
}
