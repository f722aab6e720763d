namespace MailerQ.Www.Core.Settings;

/// <summary>
/// A DNS override (MailerQ's table <c>dns</c>): deliveries to <paramref name="Domain"/> go to these hosts
/// (names or IPs, in order) instead of what MX/A lookups say.
/// </summary>
internal sealed record DnsOverride(string Domain, IReadOnlyList<string> Hosts);
