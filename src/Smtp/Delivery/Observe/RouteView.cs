using MailerQ.Www.Smtp.Client;

namespace MailerQ.Www.Smtp.Delivery.Observe;

/// <summary>
/// A moment's look at one delivery route (source IP × recipient domain × next hop × TLS policy) for the console.
/// <paramref name="Mta"/> is empty when no source IP is configured (the operating system picks one).
/// </summary>
/// <param name="Open">Connections open on the route, busy or idle.</param>
/// <param name="Idle">Of those, idle ones waiting in the pool for the next message.</param>
/// <param name="Handling">Messages on the route: waiting for a throttle or a connection, or being sent.</param>
/// <param name="RemoteIps">The addresses the route's last message resolved to, with their open connections.</param>
internal sealed record RouteView(
    string Mta,
    string Domain,
    string Hop,
    DeliverySecurity Security,
    int Open,
    int Idle,
    int Handling,
    IReadOnlyList<RemoteIpView> RemoteIps);
