using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Core.Tests.Config;

public sealed class ConfigLoaderTests
{
    [Fact]
    public void Built_in_defaults_apply_when_nothing_is_configured()
    {
        var config = ConfigTestLoader.Load();

        Assert.Equal("8485", config.Get("www-port"));
        Assert.Equal(ConfigOrigin.Default, config.OriginOf("www-port"));
        Assert.Equal("/usr/share/mailerq/current/www", config.Get("www-dir"));
        Assert.Equal("64", config.Get("www-connections"));
        Assert.Equal("/var/lib/mailerq", config.Get("data-directory"));
        Assert.Empty(config.Diagnostics);
    }

    [Fact]
    public void Keys_without_default_are_unset()
    {
        var config = ConfigTestLoader.Load();

        Assert.False(config.Contains("rabbitmq-address"));
        Assert.False(config.Contains("lock"));
        Assert.Null(config.Get("www-ip"));
        Assert.Null(config.OriginOf("www-auth"));
        Assert.Empty(config.GetAll("www-auth"));
    }

    [Fact]
    public void Each_layer_overrides_the_one_below_and_reports_the_winning_origin()
    {
        using var dir = new TempDir();
        string system = dir.Write("system.txt", "www-port: 1\nwww-connections: 1\nwww-host: system\nwww-url: system\n");
        string extra = dir.Write("extra.txt", "www-connections: 2\nwww-host: extra\nwww-url: extra\n");
        var environment = new Dictionary<string, string>
        {
            ["MAILERQ_WWW_HOST"] = "env",
            ["MAILERQ_WWW_URL"] = "env",
        };

        var config = ConfigTestLoader.Load(["--config-file", extra, "--www-url=arg"], environment, system);

        Assert.Equal("/usr/share/mailerq/current/www", config.Get("www-dir"));
        Assert.Equal(ConfigOrigin.Default, config.OriginOf("www-dir"));
        Assert.Equal("1", config.Get("www-port"));
        Assert.Equal($"{system}:1", config.OriginOf("www-port").ToString());
        Assert.Equal("2", config.Get("www-connections"));
        Assert.Equal($"{extra}:1", config.OriginOf("www-connections").ToString());
        Assert.Equal("env", config.Get("www-host"));
        Assert.Equal("MAILERQ_WWW_HOST", config.OriginOf("www-host").ToString());
        Assert.Equal("arg", config.Get("www-url"));
        Assert.Equal("--www-url", config.OriginOf("www-url").ToString());
        Assert.Empty(config.Diagnostics);
    }

    [Fact]
    public void Missing_system_config_file_is_skipped_silently()
    {
        using var dir = new TempDir();

        var config = ConfigTestLoader.Load(systemConfigPath: Path.Combine(dir.Path, "config.txt"));

        Assert.Empty(config.Diagnostics);
        Assert.Equal("8485", config.Get("www-port"));
    }

    [Fact]
    public void Missing_config_file_argument_is_an_error()
    {
        using var dir = new TempDir();
        string missing = Path.Combine(dir.Path, "nope.txt");

        var config = ConfigTestLoader.LoadFile(missing);

        Assert.Equal([$"{missing}: cannot read config file: no such file"], DiagnosticLines.Of(config.Diagnostics));
        Assert.True(config.Diagnostics.HasErrors);
    }

    [Fact]
    public void Config_file_argument_naming_a_directory_is_an_error()
    {
        using var dir = new TempDir();

        var config = ConfigTestLoader.LoadFile(dir.Path);

        Assert.Equal([$"{dir.Path}: cannot read config file: it is a directory"], DiagnosticLines.Of(config.Diagnostics));
    }

    [Fact]
    public void Config_file_below_a_regular_file_is_an_error()
    {
        // ENOTDIR: unreadable even for root, unlike a chmod 000 file.
        using var dir = new TempDir();
        string notADirectory = dir.Write("plain.txt", "");
        string path = Path.Combine(notADirectory, "config.txt");

        var config = ConfigTestLoader.LoadFile(path);

        Assert.Equal([$"{path}: cannot read config file: no such file"], DiagnosticLines.Of(config.Diagnostics));
    }

    [Fact]
    public void Config_file_over_the_size_limit_is_an_error()
    {
        using var dir = new TempDir();
        string file = dir.Write("huge.txt", "# " + new string('x', 1024 * 1024) + "\n");

        var config = ConfigTestLoader.LoadFile(file);

        Assert.Equal([$"{file}: cannot read config file: larger than 1 MiB"], DiagnosticLines.Of(config.Diagnostics));
    }

    [Fact]
    public void Config_file_equal_to_the_system_file_is_read_once()
    {
        using var dir = new TempDir();
        string file = dir.Write("config.txt", "www-port: 1\nbogus: 1\n");

        var config = ConfigTestLoader.Load(["--config-file", file], systemConfigPath: file);

        Assert.Equal([$"{file}:2: bogus: unknown key, ignored"], DiagnosticLines.Of(config.Diagnostics));
    }

    [Theory]
    [InlineData("MAILERQ_WWW_PORT", "www-port")]
    [InlineData("MAILERQ_RABBITMQ_FLUSH_QOS", "rabbitmq-flush-qos")]
    [InlineData("MAILERQ_LOCK", "lock")]
    [InlineData("MAILERQ_DATA_DIRECTORY", "data-directory")]
    public void Environment_names_map_to_lower_case_keys_with_dashes(string name, string key)
    {
        Assert.Equal(key, ConfigLoader.KeyFromEnvironmentName(name));
    }

    [Theory]
    [InlineData("WWW_PORT")]
    [InlineData("mailerq_www_port")]
    [InlineData("MAILERQ_")]
    [InlineData("XMAILERQ_WWW_PORT")]
    public void Environment_names_without_the_prefix_are_not_config(string name)
    {
        Assert.Null(ConfigLoader.KeyFromEnvironmentName(name));
    }

    [Fact]
    public void Environment_without_prefix_is_ignored_and_values_are_trimmed()
    {
        var environment = new Dictionary<string, string>
        {
            ["WWW_PORT"] = "1",
            ["PATH"] = "/usr/bin",
            ["MAILERQ_WWW_PORT"] = " 2 ",
        };

        var config = ConfigTestLoader.Load(environment: environment);

        Assert.Equal("2", config.Get("www-port"));
        Assert.Empty(config.Diagnostics);
    }

    [Fact]
    public void Unknown_keys_warn_with_file_and_line_and_are_dropped()
    {
        using var dir = new TempDir();
        string file = dir.Write("x.txt", "www-port: 1\ndomain-maxmessages: 10\n\nwww-colour: blue\n");

        var config = ConfigTestLoader.LoadFile(file);

        Assert.Equal(
            [$"{file}:2: domain-maxmessages: unknown key, ignored", $"{file}:4: www-colour: unknown key, ignored"],
            DiagnosticLines.Of(config.Diagnostics));
        Assert.All(config.Diagnostics, d => Assert.Equal(ConfigSeverity.Warning, d.Severity));
        Assert.False(config.Diagnostics.HasErrors);
        Assert.Equal("1", config.Get("www-port"));
    }

    [Fact]
    public void Unknown_keys_from_environment_and_arguments_warn_with_their_names()
    {
        var config = ConfigTestLoader.Load(["--www-colour=blue"], new Dictionary<string, string> { ["MAILERQ_HOME"] = "/opt" });

        Assert.Equal(
            ["MAILERQ_HOME: home: unknown key, ignored", "--www-colour: www-colour: unknown key, ignored"],
            DiagnosticLines.Of(config.Diagnostics));
    }

    [Fact]
    public void Repeatable_key_keeps_every_line_in_order()
    {
        using var dir = new TempDir();
        string file = dir.Write("x.txt", "www-auth: file:///u.txt\nwww-port: 1\nwww-auth: ldap://h/dc=x\n");

        var config = ConfigTestLoader.LoadFile(file);

        var auth = config.GetAll("www-auth");
        Assert.Equal(["file:///u.txt", "ldap://h/dc=x"], [auth[0].Value, auth[1].Value]);
        Assert.Equal([1, 3], [auth[0].Origin.Line, auth[1].Origin.Line]);
        Assert.Equal("ldap://h/dc=x", config.Get("www-auth"));
        Assert.Empty(config.Diagnostics);
    }

    [Fact]
    public void Higher_layer_replaces_the_whole_list_of_a_repeatable_key()
    {
        using var dir = new TempDir();
        string system = dir.Write("system.txt", "www-auth: file:///a.txt\nwww-auth: file:///b.txt\n");
        string extra = dir.Write("extra.txt", "www-auth: ldap://h/dc=x\n");

        var config = ConfigTestLoader.Load(["--config-file", extra], systemConfigPath: system);

        var auth = Assert.Single(config.GetAll("www-auth"));
        Assert.Equal("ldap://h/dc=x", auth.Value);
        Assert.Equal(ConfigOrigin.File(extra, 1), auth.Origin);
    }

    [Fact]
    public void Single_value_key_set_twice_in_one_file_warns_and_the_later_wins()
    {
        using var dir = new TempDir();
        string file = dir.Write("x.txt", "www-port: 1\nwww-port: 2\n");

        var config = ConfigTestLoader.LoadFile(file);

        Assert.Equal("2", config.Get("www-port"));
        Assert.Equal(2, config.GetAll("www-port").Count);
        Assert.Equal([$"{file}:2: www-port: also set at {file}:1; this later value wins"], DiagnosticLines.Of(config.Diagnostics));
        Assert.False(config.Diagnostics.HasErrors);
    }

    [Fact]
    public void Alias_is_stored_under_the_canonical_key_with_its_own_origin()
    {
        using var dir = new TempDir();
        string file = dir.Write("x.txt", "www-private-key: /etc/ssl/key.pem\n");

        var config = ConfigTestLoader.LoadFile(file);

        Assert.Equal("/etc/ssl/key.pem", config.Get("www-privatekey"));
        Assert.Equal("/etc/ssl/key.pem", config.Get("www-private-key"));
        Assert.Equal("www-privatekey", Assert.Single(config.GetAll("www-privatekey")).Key);
        Assert.Equal(ConfigOrigin.File(file, 1), config.OriginOf("www-privatekey"));
        Assert.Empty(config.Diagnostics);
    }

    [Fact]
    public void Legacy_www_password_is_a_known_key()
    {
        using var dir = new TempDir();
        string file = dir.Write("x.txt", "www-password: hunter2\n");

        var config = ConfigTestLoader.LoadFile(file);

        Assert.Equal("hunter2", config.Get("www-password"));
        Assert.Empty(config.Diagnostics);
    }

    [Fact]
    public void Syntax_errors_and_unknown_keys_from_all_layers_are_collected_together()
    {
        using var dir = new TempDir();
        string system = dir.Write("system.txt", "broken line\n");
        string extra = dir.Write("extra.txt", "also broken\n");

        var config = ConfigTestLoader.Load(["--config-file", extra, "--nope=1"], new Dictionary<string, string> { ["MAILERQ_NOPE"] = "1" }, system);

        Assert.Equal(
            [
                $"{system}:1: syntax: expected \"key: value\"",
                $"{extra}:1: syntax: expected \"key: value\"",
                "MAILERQ_NOPE: nope: unknown key, ignored",
                "--nope: nope: unknown key, ignored",
            ],
            DiagnosticLines.Of(config.Diagnostics));
        Assert.Equal(2, config.Diagnostics.ErrorCount);
    }

    [Fact]
    public void Entries_lists_effective_values_ordered_by_key()
    {
        var config = ConfigTestLoader.Load(["--www-port=1"]);

        var entries = config.Entries;
        var keys = new List<string>();
        foreach (var entry in entries)
            keys.Add(entry.Key);
        var sorted = new List<string>(keys);
        sorted.Sort(StringComparer.Ordinal);
        Assert.Equal(sorted, keys);
        Assert.Contains(new ConfigEntry("www-port", "1", ConfigOrigin.Named("--www-port")), entries);
    }
}
