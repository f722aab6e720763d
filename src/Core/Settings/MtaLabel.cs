namespace MailerQ.Www.Core.Settings;

/// <summary>
/// The console's display name for local IP <paramref name="Ip"/> (table <c>mta_labels</c>): what "rename" on the
/// MTA IPs page sets. Kept apart from <see cref="MtaName"/>, the EHLO name, because renaming an IP for people
/// must not change what remote servers see (EHLO usually has to match the reverse DNS).
/// </summary>
internal sealed record MtaLabel(string Ip, string Label);
