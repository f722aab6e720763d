using BenchmarkDotNet.Attributes;
using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Bench.Core;

/// <summary>
/// Start-up and SIGHUP work: reading the shipped <c>etc/config.txt</c> (defaults, file, environment and
/// command-line layers, diagnostics) and the general settings from it. Runs once per start or reload, so the
/// number to watch is that it stays far below the ≤ 100 ms start-up target.
/// </summary>
[MemoryDiagnoser]
public class ConfigLoadBenchmarks
{
    private static readonly KeyValuePair<string, string>[] Environment = [new("MAILERQ_WWW_PORT", "8485"), new("PATH", "/usr/bin")];
    private string _configFile = null!;

    [GlobalSetup]
    public void Setup()
    {
        // bench/ runs from its bin folder; find the repository's etc/config.txt above it.
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "etc", "config.txt")))
            dir = dir.Parent;
        _configFile = dir is null ? throw new FileNotFoundException("etc/config.txt not found above " + AppContext.BaseDirectory)
            : Path.Combine(dir.FullName, "etc", "config.txt");
    }

    [Benchmark(Description = "load etc/config.txt (all layers)")]
    public int Load()
    {
        var diagnostics = new ConfigDiagnostics();
        var commandLine = MailerQ.Www.Core.Config.CommandLine.Parse(["--config-file", _configFile, "--smtp-port=2525"], diagnostics);
        var config = ConfigLoader.Load(commandLine, Environment, null, diagnostics);
        return diagnostics.Count + (config.Get("www-port")?.Length ?? 0);
    }

    [Benchmark(Description = "load + GeneralSettings.Read")]
    public string LoadAndRead()
    {
        var diagnostics = new ConfigDiagnostics();
        var commandLine = MailerQ.Www.Core.Config.CommandLine.Parse(["--config-file", _configFile], diagnostics);
        var config = ConfigLoader.Load(commandLine, Environment, null, diagnostics);
        return GeneralSettings.Read(config, "/tmp").DataDirectory;
    }
}
