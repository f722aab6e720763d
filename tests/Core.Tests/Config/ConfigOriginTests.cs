using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Core.Tests.Config;

public sealed class ConfigOriginTests
{
    [Fact]
    public void File_origin_prints_file_and_line()
    {
        Assert.Equal("/etc/mailerq/config.txt:12", ConfigOrigin.File("/etc/mailerq/config.txt", 12).ToString());
    }

    [Theory]
    [InlineData("MAILERQ_WWW_PORT")]
    [InlineData("--www-port")]
    public void Environment_and_argument_origins_print_only_the_name(string name)
    {
        Assert.Equal(name, ConfigOrigin.Named(name).ToString());
    }

    [Fact]
    public void Default_origin_is_named_default()
    {
        Assert.Equal("default", ConfigOrigin.Default.ToString());
        Assert.True(ConfigOrigin.Default.IsDefault);
        Assert.False(ConfigOrigin.Named("--www-port").IsDefault);
    }

    [Fact]
    public void Diagnostic_prints_origin_key_and_message()
    {
        var diagnostic = new ConfigDiagnostic(ConfigSeverity.Error, ConfigOrigin.File("/tmp/x.txt", 3), "www-port", "\"abc\" is not a port number (0-65535)");
        Assert.Equal("/tmp/x.txt:3: www-port: \"abc\" is not a port number (0-65535)", diagnostic.ToString());
    }

    [Fact]
    public void Diagnostic_without_key_prints_origin_and_message()
    {
        var diagnostic = new ConfigDiagnostic(ConfigSeverity.Error, ConfigOrigin.Named("foo"), null, "unexpected argument");
        Assert.Equal("foo: unexpected argument", diagnostic.ToString());
    }

    [Fact]
    public void Diagnostics_count_errors_and_drop_exact_repeats()
    {
        var diagnostics = new ConfigDiagnostics();
        diagnostics.Warning(ConfigOrigin.File("a", 1), "x", "unknown key, ignored");
        diagnostics.Error(ConfigOrigin.File("a", 2), "www-port", "bad");
        diagnostics.Error(ConfigOrigin.File("a", 2), "www-port", "bad");
        diagnostics.Error(ConfigOrigin.File("a", 3), "www-port", "bad");

        Assert.Equal(3, diagnostics.Count);
        Assert.Equal(2, diagnostics.ErrorCount);
        Assert.True(diagnostics.HasErrors);
    }

    [Fact]
    public void Diagnostics_with_only_warnings_have_no_errors()
    {
        var diagnostics = new ConfigDiagnostics();
        diagnostics.Warning(ConfigOrigin.File("a", 1), "x", "unknown key, ignored");
        Assert.False(diagnostics.HasErrors);
        Assert.Single(diagnostics);
    }
}
