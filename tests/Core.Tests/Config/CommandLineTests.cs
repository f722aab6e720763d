using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Core.Tests.Config;

public sealed class CommandLineTests
{
    private static (CommandLine CommandLine, string[] Errors) Parse(params string[] args)
    {
        var diagnostics = new ConfigDiagnostics();
        var commandLine = CommandLine.Parse(args, diagnostics);
        return (commandLine, DiagnosticLines.Of(diagnostics));
    }

    [Fact]
    public void No_arguments_runs_the_server_with_nothing_set()
    {
        var (commandLine, errors) = Parse();

        Assert.Empty(errors);
        Assert.Null(commandLine.ConfigFile);
        Assert.Null(commandLine.Command);
        Assert.False(commandLine.CheckConfig);
        Assert.False(commandLine.Version);
        Assert.False(commandLine.Help);
        Assert.Empty(commandLine.Overrides);
    }

    [Fact]
    public void Config_file_takes_the_next_argument()
    {
        var (commandLine, errors) = Parse("--config-file", "etc/config.txt");

        Assert.Empty(errors);
        Assert.Equal("etc/config.txt", commandLine.ConfigFile);
    }

    [Fact]
    public void Config_file_accepts_the_equals_form()
    {
        var (commandLine, errors) = Parse("--config-file=etc/config.txt");

        Assert.Empty(errors);
        Assert.Equal("etc/config.txt", commandLine.ConfigFile);
    }

    [Theory]
    [InlineData("--config-file")]
    [InlineData("--config-file=")]
    public void Config_file_without_a_name_is_an_error(string arg)
    {
        var (commandLine, errors) = Parse(arg);

        Assert.Null(commandLine.ConfigFile);
        Assert.Equal(["--config-file: expects a file name (--config-file FILE)"], errors);
    }

    [Fact]
    public void Config_file_given_twice_is_an_error()
    {
        var (commandLine, errors) = Parse("--config-file", "a.txt", "--config-file=b.txt");

        Assert.Equal("a.txt", commandLine.ConfigFile);
        Assert.Equal(["--config-file: given more than once"], errors);
    }

    [Fact]
    public void Reads_check_config_version_and_help_flags()
    {
        var (commandLine, errors) = Parse("--check-config", "--version", "--help");

        Assert.Empty(errors);
        Assert.True(commandLine.CheckConfig);
        Assert.True(commandLine.Version);
        Assert.True(commandLine.Help);
    }

    [Fact]
    public void Short_h_is_help()
    {
        Assert.True(Parse("-h").CommandLine.Help);
    }

    [Theory]
    [InlineData("--check-config=yes", "--check-config")]
    [InlineData("--version=1", "--version")]
    public void Flags_take_no_value(string arg, string name)
    {
        var (_, errors) = Parse(arg);

        Assert.Equal([$"{name}: takes no value"], errors);
    }

    [Fact]
    public void Hash_password_is_the_subcommand()
    {
        var (commandLine, errors) = Parse("hash-password");

        Assert.Empty(errors);
        Assert.Equal(CommandLine.HashPasswordCommand, commandLine.Command);
    }

    [Fact]
    public void Hash_password_after_options_is_still_the_subcommand()
    {
        var (commandLine, errors) = Parse("--config-file", "x.txt", "hash-password");

        Assert.Empty(errors);
        Assert.Equal("hash-password", commandLine.Command);
        Assert.Equal("x.txt", commandLine.ConfigFile);
    }

    [Theory]
    [InlineData("start")]
    [InlineData("config.txt")]
    public void Unknown_bare_argument_is_an_error(string arg)
    {
        var (commandLine, errors) = Parse(arg);

        Assert.Null(commandLine.Command);
        Assert.Equal([$"{arg}: unexpected argument"], errors);
    }

    [Fact]
    public void Argument_after_the_subcommand_is_an_error()
    {
        var (_, errors) = Parse("hash-password", "hash-password");

        Assert.Equal(["hash-password: unexpected argument"], errors);
    }

    [Theory]
    [InlineData("-x")]
    [InlineData("--")]
    [InlineData("--daemon")]
    [InlineData("--bad key=1")]
    [InlineData("--=1")]
    public void Unknown_options_are_errors(string arg)
    {
        var (commandLine, errors) = Parse(arg);

        Assert.Empty(commandLine.Overrides);
        int eq = arg.IndexOf('=', StringComparison.Ordinal);
        Assert.Equal([$"{(eq < 0 ? arg : arg[..eq])}: unknown option"], errors);
    }

    [Fact]
    public void Key_value_arguments_become_overrides_with_their_origin()
    {
        var (commandLine, errors) = Parse("--www-port=8080", "--WWW-Auth=ldap://h/dc=x", "--www-cache-control= public, max-age=60 ");

        Assert.Empty(errors);
        Assert.Equal(
            [
                new ConfigEntry("www-port", "8080", ConfigOrigin.Named("--www-port")),
                new ConfigEntry("www-auth", "ldap://h/dc=x", ConfigOrigin.Named("--WWW-Auth")),
                new ConfigEntry("www-cache-control", "public, max-age=60", ConfigOrigin.Named("--www-cache-control")),
            ],
            commandLine.Overrides);
    }

    [Fact]
    public void Key_without_equals_is_an_error_naming_the_form_that_works()
    {
        var (commandLine, errors) = Parse("--www-port", "80");

        Assert.Empty(commandLine.Overrides);
        Assert.Equal(["--www-port: expected --www-port=VALUE", "80: unexpected argument"], errors);
    }

    [Fact]
    public void Every_bad_argument_is_reported()
    {
        var (_, errors) = Parse("a", "--nope", "b", "--version=2");

        Assert.Equal(4, errors.Length);
    }

    [Fact]
    public void Usage_names_every_option()
    {
        foreach (var option in new[] { "--config-file", "--check-config", "--version", "--help", "hash-password", "MAILERQ_" })
            Assert.Contains(option, CommandLine.Usage, StringComparison.Ordinal);
    }
}
