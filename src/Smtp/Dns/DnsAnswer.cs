using System.Net;

namespace MailerQ.Www.Smtp.Dns;

/// <summary>
/// One cached query result: MX targets (preference, host without the trailing dot; "" for a null MX) or
/// addresses, plus how long it may be kept.
/// </summary>
internal sealed record DnsAnswer(
    DnsAnswerKind Kind,
    IReadOnlyList<(int Preference, string Host)> Exchanges,
    IReadOnlyList<IPAddress> Addresses,
    TimeSpan Ttl,
    string? Error)
{
    public static DnsAnswer Failed(string error, TimeSpan ttl) => new(DnsAnswerKind.Failure, [], [], ttl, error);
}
