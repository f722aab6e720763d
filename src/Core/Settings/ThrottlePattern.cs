namespace MailerQ.Www.Core.Settings;

/// <summary>
/// "from <paramref name="Mta"/> to <paramref name="Domain"/>": one pattern of a throttle. <c>Mta</c> is a
/// local IP or the name of an IP pool; either side blank or <c>*</c> matches everything (UG/email-throttling.md).
/// </summary>
internal sealed record ThrottlePattern(string Mta, string Domain)
{
    public static ThrottlePattern Any { get; } = new("*", "*");
}
