using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Core.Tests.Config;

/// <summary>Loads a config the way the program does, with the environment and system file under test control.</summary>
internal static class ConfigTestLoader
{
    public static ConfigSet Load(
        string[]? args = null,
        IReadOnlyDictionary<string, string>? environment = null,
        string? systemConfigPath = null)
    {
        var diagnostics = new ConfigDiagnostics();
        var commandLine = CommandLine.Parse(args ?? [], diagnostics);
        return ConfigLoader.Load(commandLine, environment ?? new Dictionary<string, string>(), systemConfigPath, diagnostics);
    }

    /// <summary>Loads one file given as <c>--config-file</c>.</summary>
    public static ConfigSet LoadFile(string path) => Load(["--config-file", path]);
}
