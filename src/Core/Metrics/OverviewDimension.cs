namespace MailerQ.Www.Core.Metrics;

/// <summary>One of the overview's filter dimensions, for listing the values seen in it (the Domains, MTA IPs and Tags pages).</summary>
internal enum OverviewDimension : byte
{
    Mta,
    Domain,
    Tag,
}
