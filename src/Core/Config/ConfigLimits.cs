namespace MailerQ.Www.Core.Config;

/// <summary>Bounds on config input.</summary>
internal static class ConfigLimits
{
    /// <summary>
    /// Largest config file read. MailerQ's commented sample config is about 10 KB; 1 MiB leaves
    /// a hundredfold margin and stops <c>--config-file /dev/zero</c> from eating memory.
    /// </summary>
    public const int MaxFileBytes = 1024 * 1024;
}
