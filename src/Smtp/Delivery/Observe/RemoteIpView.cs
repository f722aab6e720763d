namespace MailerQ.Www.Smtp.Delivery.Observe;

/// <summary>
/// A remote mail server address a route delivers to. <paramref name="Open"/> counts connections from the route's
/// source IP to that address, whichever domain they carry: remote-IP throttles are shared the same way.
/// </summary>
internal sealed record RemoteIpView(string Ip, string HostName, int Port, int Open);
