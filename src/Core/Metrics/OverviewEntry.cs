namespace MailerQ.Www.Core.Metrics;

/// <summary>One value of a dimension (a domain, an MTA IP, a tag) with its numbers over a window and since start.</summary>
internal readonly record struct OverviewEntry(string Name, OverviewSnapshot Last, OverviewSnapshot Totals);
