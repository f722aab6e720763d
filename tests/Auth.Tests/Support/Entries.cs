using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Auth.Tests.Support;

/// <summary>www-auth config lines as the config loader hands them over.</summary>
internal static class Entries
{
    public const string ConfigFile = "/etc/mailerq/config.txt";

    public static ConfigEntry Auth(string value, int line = 7) => new("www-auth", value, ConfigOrigin.File(ConfigFile, line));

    /// <summary>Diagnostics rendered as the program prints them.</summary>
    public static string[] Lines(ConfigDiagnostics diagnostics) => [.. diagnostics.Select(d => $"{d.Severity}: {d}")];
}
