namespace MailerQ.Www.Core.Delivery;

/// <summary>
/// A moment's look at one delivery route (source IP × recipient domain × next hop × TLS policy) for the console.
/// <paramref name="Mta"/> is empty when no source IP is configured (the operating system picks one).
/// </summary>
/// <param name="Mta">The local source IP, or empty.</param>
/// <param name="Domain">The recipient domain.</param>
/// <param name="Hop">The next hop (MX host or smarthost) the route delivers to.</param>
/// <param name="Security">The TLS policy: <c>optional</c>, <c>opportunistic</c>, <c>required</c> or <c>verified</c>.</param>
/// <param name="Open">Connections open on the route, busy or idle.</param>
/// <param name="Idle">Of those, idle ones waiting in the pool for the next message.</param>
/// <param name="Handling">Messages on the route: waiting for a throttle or a connection, or being sent.</param>
/// <param name="RemoteIps">The addresses the route's last message resolved to, with their open connections.</param>
public sealed record RouteView(
    string Mta,
    string Domain,
    string Hop,
    string Security,
    int Open,
    int Idle,
    int Handling,
    IReadOnlyList<RemoteIpView> RemoteIps);
