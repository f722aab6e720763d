using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Core.Tests.Config;

public sealed class GeneralSettingsTests
{
    [Fact]
    public void Data_directory_defaults_to_var_lib_mailerq()
    {
        var config = ConfigTestLoader.Load();

        Assert.Equal("/var/lib/mailerq", GeneralSettings.Read(config).DataDirectory);
        Assert.Empty(config.Diagnostics);
    }

    [Fact]
    public void Relative_data_directory_resolves_against_the_working_directory()
    {
        using var dir = new TempDir();
        string file = dir.Write("config.txt", "data-directory: var\n");
        var config = ConfigTestLoader.LoadFile(file);

        var settings = GeneralSettings.Read(config, "/srv/mailerq");

        Assert.Equal("/srv/mailerq/var", settings.DataDirectory);
        Assert.Empty(config.Diagnostics);
    }

    [Fact]
    public void Data_directory_that_does_not_exist_yet_is_fine()
    {
        using var dir = new TempDir();
        var config = ConfigTestLoader.Load([$"--data-directory={dir.Path}/later"]);

        Assert.Equal($"{dir.Path}/later", GeneralSettings.Read(config).DataDirectory);
        Assert.Empty(config.Diagnostics);
    }

    [Fact]
    public void Data_directory_that_is_a_file_is_an_error()
    {
        using var dir = new TempDir();
        string file = dir.Write("config.txt", $"data-directory: {dir.Path}/config.txt\n");
        var config = ConfigTestLoader.LoadFile(file);

        GeneralSettings.Read(config);

        Assert.Equal([$"{file}:1: data-directory: \"{file}\" is a file, not a directory"], DiagnosticLines.Of(config.Diagnostics));
    }

    [Fact]
    public void Empty_data_directory_is_an_error()
    {
        var config = ConfigTestLoader.Load(["--data-directory="]);

        GeneralSettings.Read(config);

        Assert.Equal(["--data-directory: data-directory: must not be empty"], DiagnosticLines.Of(config.Diagnostics));
    }
}
