using System.Collections;
using System.Text;

namespace MailerQ.Www.Core.Config;

/// <summary>
/// Builds the effective configuration from MailerQ's layers (5.13/configuration.md, CONTRACT.md), lowest first:
/// built-in defaults &lt; <c>/etc/mailerq/config.txt</c> (when it exists) &lt; <c>--config-file FILE</c>
/// &lt; environment <c>MAILERQ_&lt;KEY&gt;</c> &lt; <c>--key=value</c> arguments.
/// </summary>
/// <remarks>
/// For every key the highest layer that sets it wins outright, with all of its lines in order. For
/// single-value keys that is plain "last wins". For repeatable keys (<c>www-auth</c>, <c>smtp-auth</c>) it
/// means a higher layer replaces the lower layer's list instead of appending to it: MailerQ does not say,
/// and replacing lets <c>--config-file</c> or <c>MAILERQ_WWW_AUTH</c> swap the login backends of the
/// system config rather than silently adding to them (docs/config.md "Layering").
/// </remarks>
public static class ConfigLoader
{
    /// <summary>MailerQ's default config file, read when it exists.</summary>
    public const string SystemConfigPath = "/etc/mailerq/config.txt";

    /// <summary>Prefix of environment variables that set config keys.</summary>
    public const string EnvironmentPrefix = "MAILERQ_";

    /// <summary>Loads with the process environment and <see cref="SystemConfigPath"/>.</summary>
    public static ConfigSet Load(CommandLine commandLine, ConfigDiagnostics diagnostics) =>
        Load(commandLine, ReadProcessEnvironment(), SystemConfigPath, diagnostics);

    /// <summary>Loads from explicit sources (tests, or a host that filters its environment).</summary>
    /// <param name="commandLine">Supplies <c>--config-file</c> and the <c>--key=value</c> layer.</param>
    /// <param name="environment">Environment variables; only <see cref="EnvironmentPrefix"/> ones are used.</param>
    /// <param name="systemConfigPath">The default config file, or null to skip it.</param>
    /// <param name="diagnostics">Receives every problem; also becomes <see cref="ConfigSet.Diagnostics"/>.</param>
    public static ConfigSet Load(
        CommandLine commandLine,
        IEnumerable<KeyValuePair<string, string>> environment,
        string? systemConfigPath,
        ConfigDiagnostics diagnostics)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(diagnostics);

        var effective = new Dictionary<string, IReadOnlyList<ConfigEntry>>(StringComparer.Ordinal);
        foreach (var key in KnownKeys.All)
        {
            if (key.Default is not null)
                effective[key.Name] = [new ConfigEntry(key.Name, key.Default, ConfigOrigin.Default)];
        }

        // The system file is optional (MailerQ runs without it), but one that exists and cannot be read is an error.
        bool sameFile = systemConfigPath is not null && commandLine.ConfigFile is not null
            && Path.GetFullPath(systemConfigPath) == Path.GetFullPath(commandLine.ConfigFile);
        if (systemConfigPath is not null && !sameFile && (File.Exists(systemConfigPath) || Directory.Exists(systemConfigPath)))
            Apply(effective, ReadFile(systemConfigPath, diagnostics), diagnostics);

        if (commandLine.ConfigFile is not null)
            Apply(effective, ReadFile(commandLine.ConfigFile, diagnostics), diagnostics);

        Apply(effective, FromEnvironment(environment), diagnostics);
        Apply(effective, commandLine.Overrides, diagnostics);

        return new ConfigSet(effective, diagnostics);
    }

    /// <summary>
    /// <c>MAILERQ_WWW_PORT</c> → <c>www-port</c>: the documented mapping is key upper-cased with <c>-</c> as
    /// <c>_</c> (5.13/configuration.md), so the reverse lower-cases and turns <c>_</c> back into <c>-</c>.
    /// </summary>
    internal static string? KeyFromEnvironmentName(string name)
    {
        if (!name.StartsWith(EnvironmentPrefix, StringComparison.Ordinal) || name.Length == EnvironmentPrefix.Length)
            return null;
        return name[EnvironmentPrefix.Length..].ToLowerInvariant().Replace('_', '-');
    }

    private static List<ConfigEntry> FromEnvironment(IEnumerable<KeyValuePair<string, string>> environment)
    {
        var entries = new List<ConfigEntry>();
        foreach (var (name, value) in environment)
        {
            var key = KeyFromEnvironmentName(name);
            if (key is not null)
                entries.Add(new ConfigEntry(key, (value ?? string.Empty).Trim(), ConfigOrigin.Named(name)));
        }

        // The environment has no order of its own; sorting keeps diagnostics stable between runs.
        entries.Sort(static (a, b) => string.CompareOrdinal(a.Origin.Source, b.Origin.Source));
        return entries;
    }

    private static List<KeyValuePair<string, string>> ReadProcessEnvironment()
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string name && name.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
                list.Add(new(name, variable.Value as string ?? string.Empty));
        }
        return list;
    }

    /// <summary>Puts one layer on top: unknown keys are warned about and dropped, set keys replace lower layers.</summary>
    private static void Apply(Dictionary<string, IReadOnlyList<ConfigEntry>> effective, IReadOnlyList<ConfigEntry> layer, ConfigDiagnostics diagnostics)
    {
        var layerValues = new Dictionary<string, List<ConfigEntry>>(StringComparer.Ordinal);
        foreach (var entry in layer)
        {
            if (!KnownKeys.TryGet(entry.Key, out var known))
            {
                diagnostics.Warning(entry.Origin, entry.Key, "unknown key, ignored");
                continue;
            }

            var canonical = entry.Key == known.Name ? entry : entry with { Key = known.Name };
            if (!layerValues.TryGetValue(known.Name, out var values))
            {
                layerValues[known.Name] = [canonical];
                continue;
            }
            if (!known.IsRepeatable)
                diagnostics.Warning(canonical.Origin, canonical.Key, $"also set at {values[^1].Origin}; this later value wins");
            values.Add(canonical);
        }

        foreach (var (key, values) in layerValues)
            effective[key] = values;
    }

    private static List<ConfigEntry> ReadFile(string path, ConfigDiagnostics diagnostics)
    {
        var origin = ConfigOrigin.Named(path);
        if (Directory.Exists(path))
        {
            diagnostics.Error(origin, null, "cannot read config file: it is a directory");
            return [];
        }

        byte[] bytes;
        int length = 0;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            // Sized by the file (a typical config is a few KB), grown if it is longer than it said (pipes, /proc),
            // never beyond the limit + 1 byte that proves the file too large. A fixed 1 MiB buffer per load put
            // every load (start, SIGHUP) on the large-object heap and cost a gen-2 GC (docs/perf.md).
            long hint = stream.CanSeek ? stream.Length : 0;
            bytes = new byte[(int)Math.Clamp(hint + 1, 4096, ConfigLimits.MaxFileBytes + 1L)];
            int read;
            while (true)
            {
                if (length == bytes.Length)
                {
                    if (bytes.Length > ConfigLimits.MaxFileBytes)
                        break;
                    Array.Resize(ref bytes, (int)Math.Min(bytes.Length * 2L, ConfigLimits.MaxFileBytes + 1L));
                }
                if ((read = stream.Read(bytes, length, bytes.Length - length)) <= 0)
                    break;
                length += read;
            }
            if (length > ConfigLimits.MaxFileBytes)
            {
                diagnostics.Error(origin, null, $"cannot read config file: larger than {ConfigLimits.MaxFileBytes / 1024 / 1024} MiB");
                return [];
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            diagnostics.Error(origin, null, "cannot read config file: no such file");
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            diagnostics.Error(origin, null, "cannot read config file: permission denied");
            return [];
        }
        catch (IOException ex)
        {
            diagnostics.Error(origin, null, $"cannot read config file: {ex.Message}");
            return [];
        }

        // Invalid UTF-8 becomes U+FFFD instead of failing the whole file: old configs may carry Latin-1 comments.
        return ConfigFileParser.Parse(Encoding.UTF8.GetString(bytes, 0, length), path, diagnostics);
    }
}
