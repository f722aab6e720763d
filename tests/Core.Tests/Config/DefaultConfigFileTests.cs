using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Core.Tests.Config;

/// <summary>etc/config.txt is what <c>make run</c> starts with; it must load without a single diagnostic.</summary>
public sealed class DefaultConfigFileTests
{
    private static readonly string File = Path.Combine(RepositoryRoot.Path, "etc", "config.txt");

    [Fact]
    public void Loads_without_warnings_or_errors()
    {
        var config = ConfigTestLoader.LoadFile(File);

        Assert.Empty(DiagnosticLines.Of(config.Diagnostics));
    }

    [Fact]
    public void Sets_the_console_and_data_directory_for_make_run()
    {
        using var cwd = new TempDir();
        cwd.CreateDirectory("www");
        var config = ConfigTestLoader.LoadFile(File);

        var www = WwwSettings.Read(config, cwd.Path, static _ => true);
        var general = GeneralSettings.Read(config, cwd.Path);

        Assert.Empty(DiagnosticLines.Of(config.Diagnostics));
        Assert.Equal(8485, www.Port);
        Assert.Null(www.SecurePort);
        Assert.Null(www.Ip);
        Assert.Equal(Path.Combine(cwd.Path, "www"), www.Dir);
        Assert.Equal(64, www.Connections);
        Assert.Null(www.CacheControl);
        Assert.Empty(www.Auth);
        Assert.Equal(Path.Combine(cwd.Path, "var"), general.DataDirectory);
        Assert.False(config.Contains("rabbitmq-address"));
    }

    [Fact]
    public void Every_commented_example_is_a_valid_setting()
    {
        // Uncommenting an example must not produce an error, so the examples are loaded as settings.
        using var dir = new TempDir();
        var lines = System.IO.File.ReadAllLines(File);
        var examples = new List<string>();
        foreach (var line in lines)
        {
            if (line.StartsWith('#') && line.Length > 1 && line[1] != ' ' && line[1] != '#' && line.Contains(": ", StringComparison.Ordinal))
                examples.Add(line[1..]);
        }
        string uncommented = dir.Write("examples.txt", string.Join('\n', examples) + "\n");

        var config = ConfigTestLoader.LoadFile(uncommented);

        Assert.True(examples.Count >= 10, string.Join('\n', examples));
        Assert.Empty(DiagnosticLines.Of(config.Diagnostics));
        Assert.Equal("!aNULL:!eNULL:!LOW:!SSLv2:!EXPORT:!EXPORT56:FIPS:MEDIUM:HIGH:@STRENGTH", config.Get("www-ciphers"));
        Assert.Equal(5, config.GetAll("www-auth").Count);
    }
}
