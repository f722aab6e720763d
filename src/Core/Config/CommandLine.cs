namespace MailerQ.Www.Core.Config;

/// <summary>
/// The program's arguments (CONTRACT.md "Commands"): <c>--config-file FILE</c> or <c>--config-file=FILE</c>,
/// the flags <c>--check-config</c>, <c>--version</c> and <c>--help</c>, the subcommand <c>hash-password</c>,
/// and <c>--key=value</c> settings, the top config layer (5.13/configuration.md).
/// </summary>
/// <remarks>
/// Settings take only the <c>--key=value</c> form: MailerQ documents no <c>--key value</c> form, and
/// guessing would turn a typo such as <c>--www-port 80</c> into a silently ignored argument.
/// Every problem goes to the diagnostics; parsing continues so all of them are reported.
/// </remarks>
public sealed class CommandLine
{
    /// <summary>The subcommand that prints a <c>$6$</c> crypt line for a password read on stdin.</summary>
    public const string HashPasswordCommand = "hash-password";

    /// <summary>Text for <c>--help</c>.</summary>
    public const string Usage =
        """
        usage: mailerq [--config-file FILE] [--check-config] [--version] [--help] [--KEY=VALUE ...]
               mailerq --list-cluster [--cluster-timeout=SECONDS]
               mailerq hash-password < password

        Settings are layered: built-in defaults < /etc/mailerq/config.txt < --config-file FILE
        < environment MAILERQ_KEY (upper case, "-" as "_") < --key=value arguments.
          --config-file FILE   load FILE on top of /etc/mailerq/config.txt
          --check-config       validate the configuration; exit 0 or print problems and exit 2
          --version            print the version and exit
          --help               print this text and exit
          --list-cluster       print the instances that answer on the cluster exchange within cluster-timeout, and exit
          --repair-database    add missing settings tables and columns at start instead of refusing to start
          --purge-database     drop every settings table at start and begin with empty ones
          --KEY=VALUE          set config key KEY, e.g. --www-port=8485
          hash-password        read a password on stdin, print a $6$ SHA-512 crypt line for file:// auth
        """;

    private CommandLine(string? configFile, bool checkConfig, bool version, bool help, string? command, IReadOnlyList<ConfigEntry> overrides,
        bool listCluster = false, bool repairDatabase = false, bool purgeDatabase = false)
    {
        ListCluster = listCluster;
        RepairDatabase = repairDatabase;
        PurgeDatabase = purgeDatabase;
        ConfigFile = configFile;
        CheckConfig = checkConfig;
        Version = version;
        Help = help;
        Command = command;
        Overrides = overrides;
    }

    /// <summary>The <c>--config-file</c> path as given, or null.</summary>
    public string? ConfigFile { get; }

    /// <summary><c>--check-config</c>: validate, then exit 0 or 2.</summary>
    public bool CheckConfig { get; }

    /// <summary><c>--list-cluster</c>: print the instances on the cluster exchange and exit (5.13/cluster.md).</summary>
    public bool ListCluster { get; }

    /// <summary><c>--repair-database</c>: repair the settings schema at start (5.13/database-access.md).</summary>
    public bool RepairDatabase { get; }

    /// <summary><c>--purge-database</c>: drop and recreate every settings table at start (5.13/database-access.md).</summary>
    public bool PurgeDatabase { get; }

    /// <summary><c>--version</c>: print the version and exit 0.</summary>
    public bool Version { get; }

    /// <summary><c>--help</c> or <c>-h</c>.</summary>
    public bool Help { get; }

    /// <summary>The subcommand (<see cref="HashPasswordCommand"/>) or null to run the server.</summary>
    public string? Command { get; }

    /// <summary>
    /// <c>--key=value</c> settings in argument order, keys lower-cased but not yet checked against
    /// <see cref="KnownKeys"/> (the loader warns about unknown ones, as for files). Origin is the <c>--key</c> text.
    /// </summary>
    public IReadOnlyList<ConfigEntry> Overrides { get; }

    /// <summary>Parses <paramref name="args"/>; errors go to <paramref name="diagnostics"/>.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args, ConfigDiagnostics diagnostics)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(diagnostics);

        string? configFile = null;
        bool checkConfig = false, version = false, help = false, listCluster = false, repairDatabase = false, purgeDatabase = false;
        string? command = null;
        var overrides = new List<ConfigEntry>();

        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith('-'))
            {
                if (command is null && arg == HashPasswordCommand)
                    command = arg;
                else
                    diagnostics.Error(ConfigOrigin.Named(arg), null, "unexpected argument");
                continue;
            }

            if (arg is "-h" or "--help")
            {
                help = true;
                continue;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                diagnostics.Error(ConfigOrigin.Named(arg), null, "unknown option");
                continue;
            }

            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            string name = eq < 0 ? arg : arg[..eq];
            switch (name)
            {
                case "--check-config" when eq < 0:
                    checkConfig = true;
                    continue;
                case "--version" when eq < 0:
                    version = true;
                    continue;
                case "--list-cluster" when eq < 0:
                    listCluster = true;
                    continue;
                case "--repair-database" when eq < 0:
                    repairDatabase = true;
                    continue;
                case "--purge-database" when eq < 0:
                    purgeDatabase = true;
                    continue;
                case "--check-config" or "--version" or "--list-cluster" or "--repair-database" or "--purge-database":
                    diagnostics.Error(ConfigOrigin.Named(name), null, "takes no value");
                    continue;
                case "--config-file":
                    string? path = eq >= 0 ? arg[(eq + 1)..] : (i + 1 < args.Count ? args[++i] : null);
                    if (string.IsNullOrEmpty(path))
                        diagnostics.Error(ConfigOrigin.Named(name), null, "expects a file name (--config-file FILE)");
                    else if (configFile is not null)
                        diagnostics.Error(ConfigOrigin.Named(name), null, "given more than once");
                    else
                        configFile = path;
                    continue;
            }

            string key = name[2..].ToLowerInvariant();
            if (key.Length == 0 || !ConfigFileParser.IsKey(key))
            {
                diagnostics.Error(ConfigOrigin.Named(name), null, "unknown option");
                continue;
            }
            if (eq < 0)
            {
                // A known key without "=" is the "--key value" form MailerQ does not have; say what works.
                if (KnownKeys.TryGet(key, out _))
                    diagnostics.Error(ConfigOrigin.Named(name), null, $"expected {name}=VALUE");
                else
                    diagnostics.Error(ConfigOrigin.Named(name), null, "unknown option");
                continue;
            }
            overrides.Add(new ConfigEntry(key, arg[(eq + 1)..].Trim(), ConfigOrigin.Named(name)));
        }

        return new CommandLine(configFile, checkConfig, version, help, command, overrides, listCluster, repairDatabase, purgeDatabase);
    }
}
