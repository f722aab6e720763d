namespace MailerQ.Www.Core.Config;

/// <summary>
/// Settings that belong to the whole program rather than the console. <c>data-directory</c> is ours
/// (MailerQ has no such key, CONTRACT.md): it holds the embedded queue, the default SQLite database,
/// the console's message store and generated secrets, so it lives here and not on <see cref="WwwSettings"/>.
/// </summary>
public sealed class GeneralSettings
{
    /// <summary>Default <c>data-directory</c>, following the FHS place for variable state.</summary>
    public const string DefaultDataDirectory = "/var/lib/mailerq";

    /// <summary>Absolute path of <c>data-directory</c>. It need not exist yet: the host creates it.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Reads and validates; problems go to <see cref="ConfigSet.Diagnostics"/>.</summary>
    public static GeneralSettings Read(ConfigSet config) => Read(config, Directory.GetCurrentDirectory());

    /// <summary>Reads with relative paths resolved against <paramref name="workingDirectory"/>.</summary>
    internal static GeneralSettings Read(ConfigSet config, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        string dataDirectory = DefaultDataDirectory;
        var entry = config.Last("data-directory");
        if (entry is not null)
        {
            if (entry.Value.Length == 0)
            {
                config.Report(entry, "must not be empty");
            }
            else
            {
                dataDirectory = Path.GetFullPath(entry.Value, workingDirectory);
                if (File.Exists(dataDirectory))
                    config.Report(entry, $"{ConfigText.Quote(dataDirectory)} is a file, not a directory");
            }
        }
        return new GeneralSettings { DataDirectory = dataDirectory };
    }
}
