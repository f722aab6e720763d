namespace MailerQ.Www.Core.Settings;

/// <summary>The EHLO name used from local IP <paramref name="Ip"/> (table <c>mtanames</c>; default = reverse DNS).</summary>
internal sealed record MtaName(string Ip, string Name);
