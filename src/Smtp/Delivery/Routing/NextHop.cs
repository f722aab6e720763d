using System.Net;

namespace MailerQ.Www.Smtp.Delivery.Routing;

/// <summary>One address to try, with the host name it came from (for certificate checks and the result's <c>to</c>).</summary>
internal sealed record NextHop(string HostName, IPEndPoint EndPoint);

/// <summary>Where a message goes: the hops in order, and the relay credentials when it is a relay.</summary>
internal sealed record Destination(IReadOnlyList<NextHop> Hops, string RouteName, string? Username, string? Password);
