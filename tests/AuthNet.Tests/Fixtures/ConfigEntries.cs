using MailerQ.Www.Core.Config;

namespace MailerQ.Www.AuthNet.Tests.Fixtures;

/// <summary>Builds <c>www-auth</c> entries as the config file parser would.</summary>
internal static class ConfigEntries
{
    public static ConfigEntry WwwAuth(string value) => new("www-auth", value, ConfigOrigin.File("/etc/mailerq/config.txt", 7));
}
