using System.Diagnostics;
using MailerQ.Www.Auth.Crypt;
using MailerQ.Www.Auth.Tests.Support;
using MailerQ.Www.Core.Config;
using Microsoft.Extensions.Time.Testing;

namespace MailerQ.Www.Auth.Tests.Crypt;

public sealed class FileAuthBackendTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static FileAuthBackend Create(string path, out ConfigDiagnostics diagnostics, TimeProvider? time = null)
    {
        diagnostics = new ConfigDiagnostics();
        return FileAuthBackend.Create(Entries.Auth("file://" + path), diagnostics, time)!;
    }

    [Fact]
    public async Task Accepts_users_of_a_file_written_with_real_tools()
    {
        string path = _dir.Write("users.txt",
            $"# made by mkpasswd, openssl and htpasswd\n" +
            $"yes:{HashTools.Mkpasswd("yescrypt", "pw-yes")}\n" +
            $"sha:{HashTools.OpenSsl("-6", "pw-sha")}\n" +
            $"{Cli.Run("htpasswd", "-nbB", "web", "pw-web").Trim()}\n");
        var backend = Create(path, out var diagnostics);
        Assert.Empty(diagnostics);
        Assert.True((await backend.AuthenticateAsync("yes", "pw-yes", default)).Accepted);
        Assert.True((await backend.AuthenticateAsync("sha", "pw-sha", default)).Accepted);
        Assert.True((await backend.AuthenticateAsync("web", "pw-web", default)).Accepted);
        var wrong = await backend.AuthenticateAsync("web", "pw-yes", default);
        Assert.Equal((AuthOutcome.Rejected, "wrong password"), (wrong.Outcome, wrong.Detail));
        var unknown = await backend.AuthenticateAsync("nobody", "pw-yes", default);
        Assert.Equal((AuthOutcome.Rejected, "unknown user"), (unknown.Outcome, unknown.Detail));
    }

    [Fact]
    public void Problems_in_the_file_are_config_errors_at_the_file_line()
    {
        string path = _dir.Write("users.txt", $"ok:{HashTools.OpenSsl("-6", "pw")}\nbad:{{SHA}}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\nold:{HashTools.OpenSsl("-1", "pw")}\n");
        Create(path, out var diagnostics);
        Assert.Equal(
            [$"Error: {path}:2: www-auth: file: user bad: unknown hash format (supported: $y$, $6$, $5$, $2b$/$2y$/$2a$, $1$, $apr1$)",
             $"Warning: {path}:3: www-auth: file: user old: $1$ MD5 crypt is weak; replace it with a $y$, $6$ or bcrypt hash (mailerq hash-password)"],
            Entries.Lines(diagnostics));
    }

    [Fact]
    public void Missing_file_is_an_error_at_the_config_line()
    {
        var diagnostics = new ConfigDiagnostics();
        Assert.Null(FileAuthBackend.Create(Entries.Auth($"file://{_dir.Path}/missing.txt", 9), diagnostics));
        Assert.StartsWith($"/etc/mailerq/config.txt:9: www-auth: file: cannot read {_dir.Path}/missing.txt: ", Assert.Single(diagnostics).ToString());
    }

    [Fact]
    public async Task Change_is_picked_up_after_a_second_and_not_before()
    {
        var time = new FakeTimeProvider();
        string path = _dir.Write("users.txt", $"alice:{HashTools.OpenSsl("-6", "old")}\n");
        var backend = Create(path, out _, time);
        Assert.True((await backend.AuthenticateAsync("alice", "old", default)).Accepted);

        File.WriteAllText(path, $"alice:{HashTools.OpenSsl("-6", "new")}\nbob:{HashTools.OpenSsl("-6", "bob")}\n");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True((await backend.AuthenticateAsync("alice", "old", default)).Accepted);

        time.Advance(TimeSpan.FromMilliseconds(600));
        Assert.False((await backend.AuthenticateAsync("alice", "old", default)).Accepted);
        Assert.True((await backend.AuthenticateAsync("alice", "new", default)).Accepted);
        Assert.True((await backend.AuthenticateAsync("bob", "bob", default)).Accepted);
    }

    [Fact]
    public async Task Replacing_the_file_by_rename_is_seen()
    {
        var time = new FakeTimeProvider();
        string path = _dir.Write("users.txt", $"alice:{HashTools.OpenSsl("-6", "old")}\n");
        var backend = Create(path, out _, time);
        string next = _dir.Write("users.txt.new", $"alice:{HashTools.OpenSsl("-5", "renamed")}\n");
        File.Move(next, path, overwrite: true);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await backend.AuthenticateAsync("alice", "renamed", default)).Accepted);
    }

    [Fact]
    public async Task Deleted_file_turns_logins_into_errors_until_it_returns()
    {
        var time = new FakeTimeProvider();
        string content = $"alice:{HashTools.OpenSsl("-6", "pw")}\n";
        string path = _dir.Write("users.txt", content);
        var backend = Create(path, out _, time);
        File.Delete(path);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(AuthOutcome.Error, (await backend.AuthenticateAsync("alice", "pw", default)).Outcome);

        File.WriteAllText(path, content);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await backend.AuthenticateAsync("alice", "pw", default)).Accepted);
    }

    [Fact]
    public async Task Disabled_entries_never_log_in()
    {
        string path = _dir.Write("users.txt", $"gone:!{HashTools.OpenSsl("-6", "pw")}\n");
        var backend = Create(path, out var diagnostics);
        Assert.Empty(diagnostics);
        var result = await backend.AuthenticateAsync("gone", "pw", default);
        Assert.Equal((AuthOutcome.Rejected, "account disabled"), (result.Outcome, result.Detail));
    }

    [Fact]
    public async Task Unknown_user_costs_about_as_much_as_a_wrong_password()
    {
        // bcrypt cost 10 is ~50-100 ms here; without the dummy check an unknown user would answer in microseconds.
        string path = _dir.Write("users.txt", $"alice:{HashTools.Mkpasswd("bcrypt", "pw", "-R", "10")}\n");
        var backend = Create(path, out _);
        await backend.AuthenticateAsync("alice", "warm-up", default);

        // Alternate the two so load from parallel tests hits both alike, and compare medians. Without the
        // dummy check the ratio would be ~0.001; with it ~1. The bounds are loose for a shared 2-core box.
        var wrongMs = new List<double>();
        var unknownMs = new List<double>();
        for (int i = 0; i < 7; i++)
        {
            var sw = Stopwatch.StartNew();
            await backend.AuthenticateAsync("alice", "nope", default);
            wrongMs.Add(sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            await backend.AuthenticateAsync("mallory", "nope", default);
            unknownMs.Add(sw.Elapsed.TotalMilliseconds);
        }
        wrongMs.Sort();
        unknownMs.Sort();
        double wrong = wrongMs[3], unknown = unknownMs[3];
        Assert.InRange(unknown / wrong, 0.25, 4.0);
    }
}
