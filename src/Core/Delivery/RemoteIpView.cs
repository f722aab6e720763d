namespace MailerQ.Www.Core.Delivery;

/// <summary>
/// A remote mail server address a route delivers to. <paramref name="Open"/> counts connections from the route's
/// source IP to that address, whichever domain they carry: remote-IP throttles are shared the same way.
/// </summary>
/// <param name="Ip">The remote address.</param>
/// <param name="HostName">The MX (or smarthost) name it was resolved from.</param>
/// <param name="Port">The remote port.</param>
/// <param name="Open">Connections open from the route's source IP to this address.</param>
public sealed record RemoteIpView(string Ip, string HostName, int Port, int Open);
