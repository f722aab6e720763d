using System.Net;

namespace MailerQ.Www.Smtp.Dns;

/// <summary>
/// One mail exchanger to try: its name (the MX target, the domain itself for an implicit MX, or the
/// address text for an IP literal), its MX preference and its addresses (IPv4 first, then IPv6).
/// </summary>
internal sealed record MxHost(string Name, int Preference, IReadOnlyList<IPAddress> Addresses);
