namespace MailerQ.Www.Host.Tests.Settings;

/// <summary>A settings database the program cannot use is a config error: exit 2, nothing listening.</summary>
public sealed class SettingsStartupTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Config(string database) => _dir.Write("config.txt",
        $"www-port: {MailerQProcess.FreePort()}\nwww-ip: 127.0.0.1\nwww-dir: {RepoRoot.Path}/www\ndata-directory: {_dir.Path}\nwww-auth: hardcoded://alice:pw\nsmtp-port: 0\n{database}");

    [Fact]
    public async Task A_corrupt_database_file_stops_the_start_with_exit_2()
    {
        _dir.Write("broken.sql", "this is not a sqlite database, just text that is long enough to fill a header page......");
        var (code, _, stderr) = await MailerQProcess.RunAsync(["--config-file", Config($"database-address: sqlite://{_dir.Path}/broken.sql\n")]);
        Assert.Equal(2, code);
        Assert.Contains("config.txt:7: database-address: cannot open the settings database", stderr);
    }

    [Fact]
    public async Task An_unreachable_postgresql_stops_the_start_with_exit_2_without_showing_the_password()
    {
        var file = Config($"database-address: postgresql://mq:secret@127.0.0.1:{MailerQProcess.FreePort()}/mailerq\n");
        var (code, _, stderr) = await MailerQProcess.RunAsync(["--config-file", file], timeoutMs: 60000);
        Assert.Equal(2, code);
        Assert.Contains("config.txt:7: database-address: cannot open the settings database postgresql://mq@127.0.0.1:", stderr);
        Assert.DoesNotContain("secret", stderr);
        // --check-config only validates the address; it does not connect.
        (code, _, stderr) = await MailerQProcess.RunAsync(["--config-file", file, "--check-config"]);
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task Unknown_database_schemes_and_bad_ttls_are_config_errors()
    {
        var (code, _, stderr) = await MailerQProcess.RunAsync(["--config-file", Config("database-address: mysql://u:p@h/db\ndatabase-ttl: -5\n"), "--check-config"]);
        Assert.Equal(2, code);
        Assert.Contains("config.txt:7: database-address: mysql is not supported", stderr);
        Assert.Contains("config.txt:8: database-ttl:", stderr);
    }
}
