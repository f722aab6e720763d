using MailerQ.Www.Smtp.Client;

namespace MailerQ.Www.Smtp.Delivery.Routing;

/// <summary>
/// What makes two messages share connections and domain throttles: source IP, recipient domain, the next hop
/// (MX or a relay) and the TLS policy (a <c>required</c> message must never ride a plain-text connection).
/// </summary>
internal readonly record struct RouteKey(string Mta, string Domain, string Hop, DeliverySecurity Security);

/// <summary>Per-remote-IP throttles are shared by every domain that uses that MX (MailerQ's IP limits).</summary>
internal readonly record struct RemoteKey(string Mta, string RemoteIp);
