using System.Diagnostics;
using MailerQ.Www.Auth.Exec;
using MailerQ.Www.Auth.Tests.Support;
using MailerQ.Www.Core.Config;

namespace MailerQ.Www.Auth.Tests.Exec;

/// <summary>exec:// with real shell scripts as the programs (the scripts are ours; the backend never runs a shell itself).</summary>
[Collection(LogCollection.Name)]
public sealed class ExecAuthBackendTests : IDisposable
{
    private const string Checker = """
        #!/bin/sh
        IFS= read -r user
        IFS= read -r pass
        [ "$user" = "alice" ] && [ "$pass" = 'pä ss"word' ] && exit 0
        exit 1
        """;

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private ExecAuthBackend Program(string script, TimeSpan? timeout = null) =>
        new(_dir.Script($"auth-{Guid.NewGuid():N}.sh", script.Replace("\r\n", "\n")), timeout: timeout);

    [Fact]
    public async Task Exit_zero_accepts_and_anything_else_rejects()
    {
        var backend = Program(Checker);
        Assert.True((await backend.AuthenticateAsync("alice", "pä ss\"word", default)).Accepted);
        var wrong = await backend.AuthenticateAsync("alice", "nope", default);
        Assert.Equal((AuthOutcome.Rejected, "exit status 1"), (wrong.Outcome, wrong.Detail));
        Assert.False((await backend.AuthenticateAsync("bob", "pä ss\"word", default)).Accepted);
    }

    [Fact]
    public async Task Credentials_come_on_stdin_only_with_no_arguments_and_a_clean_environment()
    {
        string report = Path.Combine(_dir.Path, "report.txt");
        var backend = Program($$"""
            #!/bin/sh
            { echo "argc=$#"; env | sort; echo "stdin:"; cat; } > {{report}}
            exit 0
            """);
        Assert.True((await backend.AuthenticateAsync("alice", "Sup3r-secret", default)).Accepted);
        string text = File.ReadAllText(report);
        Assert.Contains("argc=0\n", text);
        Assert.Contains("MAILERQ_USERNAME=alice\n", text);
        Assert.EndsWith("stdin:\nalice\nSup3r-secret\n", text);
        Assert.Equal(1, text.Split("Sup3r-secret").Length - 1);
        Assert.DoesNotContain("HOME=", text);
    }

    [Fact]
    public async Task The_program_runs_in_its_own_process_group_and_session()
    {
        string report = Path.Combine(_dir.Path, "ids.txt");
        var backend = Program($"#!/bin/sh\nps -o pid=,pgid=,sid= -p $$ > {report}\n");
        Assert.True((await backend.AuthenticateAsync("alice", "pw", default)).Accepted);
        var ids = File.ReadAllText(report).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ids[0], ids[1]);
        Assert.Equal(ids[0], ids[2]);
    }

    [Fact]
    public async Task A_shell_command_in_the_user_name_is_only_data()
    {
        string marker = $"/tmp/pwned-{Guid.NewGuid():N}";
        var backend = Program("""
            #!/bin/sh
            IFS= read -r user
            IFS= read -r pass
            echo "checking $user" >&2
            [ "$user" = "alice" ] && exit 0
            exit 1
            """);
        var result = await backend.AuthenticateAsync($"$(touch {marker})", "pw`touch " + marker + "`", default);
        Assert.Equal(AuthOutcome.Rejected, result.Outcome);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task A_hanging_program_is_killed_with_its_whole_group()
    {
        string pids = Path.Combine(_dir.Path, "pids.txt");
        var backend = Program($"""
            #!/bin/sh
            sleep 300 &
            echo $! > {pids}
            echo $$ >> {pids}
            sleep 300
            """, TimeSpan.FromMilliseconds(800));
        var sw = Stopwatch.StartNew();
        var result = await backend.AuthenticateAsync("alice", "pw", default);
        Assert.Equal((AuthOutcome.Error, "timeout; process group killed"), (result.Outcome, result.Detail));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), sw.Elapsed.ToString());

        foreach (var line in File.ReadAllLines(pids))
            Assert.True(await GoneAsync(int.Parse(line)), $"process {line} survived");
    }

    [Fact]
    public async Task Background_leftovers_are_killed_after_a_normal_exit()
    {
        string pids = Path.Combine(_dir.Path, "pids.txt");
        var backend = Program($"""
            #!/bin/sh
            sleep 300 > /dev/null 2>&1 &
            echo $! > {pids}
            exit 0
            """);
        Assert.True((await backend.AuthenticateAsync("alice", "pw", default)).Accepted);
        Assert.True(await GoneAsync(int.Parse(File.ReadAllText(pids).Trim())));
    }

    [Fact]
    public async Task The_default_budget_is_ten_seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), AuthLimits.ExecTimeout);
        var backend = Program("#!/bin/sh\nexec sleep 60\n");
        var sw = Stopwatch.StartNew();
        var result = await backend.AuthenticateAsync("alice", "pw", default);
        Assert.Equal(AuthOutcome.Error, result.Outcome);
        Assert.InRange(sw.Elapsed.TotalSeconds, 9.5, 14);
    }

    [Fact]
    public async Task A_megabyte_of_output_neither_blocks_nor_reaches_the_result_and_is_logged_truncated()
    {
        using var log = new LogCapture();
        var backend = Program("""
            #!/bin/sh
            head -c 1048576 /dev/zero | tr '\0' 'x'
            head -c 1048576 /dev/zero | tr '\0' 'y' >&2
            exit 3
            """);
        var result = await backend.AuthenticateAsync("alice", "pw", default);
        Assert.Equal((AuthOutcome.Rejected, "exit status 3"), (result.Outcome, result.Detail));
        string line = log.Text.Split('\n').Single(l => l.Contains("exec program finished", StringComparison.Ordinal));
        Assert.Contains(new string('x', 4096) + "… [1044480 more bytes dropped]", line);
        Assert.Contains(new string('y', 4096) + "… [1044480 more bytes dropped]", line);
        Assert.DoesNotContain(new string('x', 4097), line);
        Assert.True(line.Length < 10_000);
    }

    [Fact]
    public async Task Output_goes_to_the_log_sanitized_and_the_password_never_does()
    {
        using var log = new LogCapture();
        var backend = Program("#!/bin/sh\nread -r u\nread -r p\nprintf 'no such user %s\\n\\033[31mred\\n' \"$u\"\nexit 1\n");
        await backend.AuthenticateAsync("mallory", "Hunter2-secret", default);
        Assert.Contains("stdout=\"no such user mallory\\n\\x1b[31mred\\n\"", log.Text);
        Assert.DoesNotContain("Hunter2-secret", log.Text);
        Assert.DoesNotContain("\u001b", log.Text);
    }

    [Theory]
    [InlineData(0, "Accepted")]
    [InlineData(4, "Rejected")]
    public async Task A_program_that_reads_nothing_is_judged_by_its_exit_status(int exit, string outcome)
    {
        var backend = Program($"#!/bin/sh\nexit {exit}\n");
        for (int i = 0; i < 5; i++)
            Assert.Equal(Enum.Parse<AuthOutcome>(outcome), (await backend.AuthenticateAsync("alice", "pw", default)).Outcome);
    }

    [Fact]
    public async Task A_program_that_closes_stdin_and_waits_still_gets_judged()
    {
        var backend = Program("#!/bin/sh\nexec 0<&-\nsleep 0.2\nexit 0\n");
        Assert.True((await backend.AuthenticateAsync("alice", "pw", default)).Accepted);
    }

    [Fact]
    public async Task Missing_program_at_run_time_is_an_error()
    {
        string path = _dir.Script("gone.sh", "#!/bin/sh\nexit 0\n");
        var backend = new ExecAuthBackend(path);
        File.Delete(path);
        Assert.Equal(AuthOutcome.Error, (await backend.AuthenticateAsync("alice", "pw", default)).Outcome);
    }

    [Fact]
    public void Config_checks_the_program_exists_and_is_executable()
    {
        string script = _dir.Script("ok.sh", "#!/bin/sh\nexit 0\n");
        string plain = _dir.Write("plain.txt", "x");
        var diagnostics = new ConfigDiagnostics();
        Assert.NotNull(ExecAuthBackend.Create(Entries.Auth("exec://" + script, 1), diagnostics));
        Assert.Null(ExecAuthBackend.Create(Entries.Auth("exec://" + plain, 2), diagnostics));
        Assert.Null(ExecAuthBackend.Create(Entries.Auth($"exec://{_dir.Path}/none", 3), diagnostics));
        Assert.Null(ExecAuthBackend.Create(Entries.Auth("exec://relative/prog", 4), diagnostics));
        Assert.Equal(
            [$"Error: /etc/mailerq/config.txt:2: www-auth: exec: program {plain} is not executable",
             $"Error: /etc/mailerq/config.txt:3: www-auth: exec: program {_dir.Path}/none does not exist",
             "Error: /etc/mailerq/config.txt:4: www-auth: exec: expected exec:///absolute/path (three slashes: the path must be absolute)"],
            Entries.Lines(diagnostics));
    }

    private static async Task<bool> GoneAsync(int pid)
    {
        // A killed child may linger as a zombie until its parent (init here) reaps it.
        for (int i = 0; i < 50; i++)
        {
            string stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat))
                return true;
            try
            {
                string text = File.ReadAllText(stat);
                if (text[(text.LastIndexOf(')') + 2)..].StartsWith('Z'))
                    return true;
            }
            catch (IOException)
            {
                return true;
            }
            await Task.Delay(100);
        }
        return false;
    }
}
