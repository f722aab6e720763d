using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using MailerQ.Www.Auth.Native;
using MailerQ.Www.Core.Config;
using MailerQ.Www.Core.Logging;

namespace MailerQ.Www.Auth.Exec;

/// <summary>
/// <c>exec:///path/to/program</c>. MailerQ documents only "success decided by exit code", not how the
/// credentials reach the program, so this is our protocol (docs/auth.md):
/// <list type="bullet">
/// <item>the program is started directly (no shell), with no arguments, working directory <c>/</c>;</item>
/// <item>stdin carries the user name and the password as two <c>\n</c>-terminated UTF-8 lines, then EOF;
/// never argv or the environment, where <c>ps</c> and /proc show them to every local user;</item>
/// <item>the environment is only <c>PATH</c> and <c>MAILERQ_USERNAME</c> (for the program's logs), so
/// secrets of ours (<c>MAILERQ_*</c> config variables) do not leak into it;</item>
/// <item>exit status 0 accepts, anything else rejects; after <see cref="AuthLimits.ExecTimeout"/> the
/// whole process group is killed and the answer is Error;</item>
/// <item>stdout and stderr go to our log, the first <see cref="AuthLimits.ExecOutputBytes"/> bytes of each,
/// never to the person logging in.</item>
/// </list>
/// Process group: .NET cannot call setsid/setpgid between fork and exec, so the program is started
/// through util-linux <c>/usr/bin/setsid</c> (no shell: it calls setsid(2) and execs the program in place,
/// because a child of ours is never a group leader). The program's PID is then its process group id, and
/// kill(-pid, SIGKILL) ends it with every descendant that stayed in the group. The group is killed after a
/// normal exit too, so no leftover background process keeps running with the password it read.
/// </summary>
internal sealed class ExecAuthBackend : IAuthBackend
{
    public const string SchemeName = "exec";

    /// <summary>util-linux's setsid (Debian: essential package util-linux).</summary>
    public const string SetsidPath = "/usr/bin/setsid";

    /// <summary>How long to wait for the output pipes after the group is gone (a daemonized grandchild may still hold them).</summary>
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(1);

    private const string SafePath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly int _outputBytes;

    public ExecAuthBackend(string program, TimeProvider? timeProvider = null, TimeSpan? timeout = null, int outputBytes = AuthLimits.ExecOutputBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(program);
        Program = program;
        _time = timeProvider ?? TimeProvider.System;
        _timeout = timeout ?? AuthLimits.ExecTimeout;
        _outputBytes = outputBytes;
    }

    public string Scheme => SchemeName;

    /// <summary>Absolute path of the program.</summary>
    public string Program { get; }

    public async ValueTask<AuthResult> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken)
    {
        // The protocol is line-based: a line break in either value would shift the lines.
        if (userName.AsSpan().IndexOfAny('\r', '\n') >= 0 || password.AsSpan().IndexOfAny('\r', '\n') >= 0 || userName.Contains('\0', StringComparison.Ordinal))
            return new AuthResult(AuthOutcome.Rejected, SchemeName, "line break in credentials");

        // setsid would report a missing program as exit 127, which reads like a "no"; it is an outage.
        if (!File.Exists(Program))
        {
            Log.Error("auth", "exec program missing", $"program={Log.Quote(Program)}");
            return new AuthResult(AuthOutcome.Error, SchemeName, "program missing");
        }

        var start = new ProcessStartInfo
        {
            FileName = File.Exists(SetsidPath) ? SetsidPath : Program,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            WorkingDirectory = "/",
        };
        if (start.FileName == SetsidPath)
        {
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(Program);
        }
        start.Environment.Clear();
        start.Environment["PATH"] = SafePath;
        start.Environment["MAILERQ_USERNAME"] = userName;

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("not started");
        }
        catch (Win32Exception ex)
        {
            Log.Error("auth", "exec program could not start", $"program={Log.Quote(Program)} error={Log.Quote(ex.Message)}");
            return new AuthResult(AuthOutcome.Error, SchemeName, "program could not start");
        }

        using (process)
        {
            int pid = process.Id;
            using var drainStop = new CancellationTokenSource();
            var stdout = new BoundedOutput(_outputBytes);
            var stderr = new BoundedOutput(_outputBytes);
            var drains = Task.WhenAll(
                stdout.DrainAsync(process.StandardOutput.BaseStream, drainStop.Token),
                stderr.DrainAsync(process.StandardError.BaseStream, drainStop.Token));

            bool timedOut = false;
            using var timeout = new CancellationTokenSource(_timeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            try
            {
                try
                {
                    var stdin = process.StandardInput;
                    await stdin.WriteAsync((userName + "\n" + password + "\n").AsMemory(), linked.Token).ConfigureAwait(false);
                    await stdin.FlushAsync(linked.Token).ConfigureAwait(false);
                    stdin.Close();
                }
                catch (IOException)
                {
                    // The program exited or closed stdin without reading: its exit status still decides.
                }
                await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
            }
            finally
            {
                KillGroup(process, pid);
            }

            if (timedOut)
            {
                try
                {
                    await process.WaitForExitAsync(CancellationToken.None).WaitAsync(DrainGrace, _time).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // SIGKILL cannot be ignored; a process in uninterruptible sleep is left to the kernel.
                }
            }
            try
            {
                await drains.WaitAsync(DrainGrace, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await drainStop.CancelAsync().ConfigureAwait(false);
            }

            int? exit = process.HasExited ? process.ExitCode : null;
            LogRun(userName, exit, timedOut, stdout, stderr);
            cancellationToken.ThrowIfCancellationRequested();

            if (timedOut)
                return new AuthResult(AuthOutcome.Error, SchemeName, "timeout; process group killed");
            return exit == 0
                ? new AuthResult(AuthOutcome.Accepted, SchemeName)
                : new AuthResult(AuthOutcome.Rejected, SchemeName, $"exit status {exit}");
        }
    }

    /// <summary>SIGKILL to the program's group (it leads one thanks to setsid), then to whatever of its tree is left.</summary>
    private static void KillGroup(Process process, int pid)
    {
        // Only signal the group when it is the child's own: never our own group or a stranger's.
        int group = LibC.GetProcessGroup(pid);
        if (group == pid || (group < 0 && process.HasExited))
            LibC.Kill(-pid, LibC.SigKill);
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    private void LogRun(string userName, int? exit, bool timedOut, BoundedOutput stdout, BoundedOutput stderr)
    {
        var level = timedOut ? LogLevel.Warning : LogLevel.Debug;
        if (stdout.Total > 0 || stderr.Total > 0)
            level = timedOut ? LogLevel.Warning : LogLevel.Info;
        string fields = $"program={Log.Quote(Program)} user={LogText.Field(userName)} exit={(exit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none")}";
        if (stdout.Total > 0)
            fields += $" stdout={LogText.Field(stdout.ToString(), _outputBytes + 64)}";
        if (stderr.Total > 0)
            fields += $" stderr={LogText.Field(stderr.ToString(), _outputBytes + 64)}";
        Log.Write(level, "auth", timedOut ? "exec program timed out; process group killed" : "exec program finished", fields);
    }

    /// <summary>Parses <c>exec:///path</c>; the program must exist and be executable.</summary>
    public static ExecAuthBackend? Create(ConfigEntry entry, ConfigDiagnostics diagnostics, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (!AuthUrl.TryGetLocalPath(entry.Value, out string? path, out string? problem))
        {
            diagnostics.Error(entry.Origin, entry.Key, "exec: " + problem);
            return null;
        }
        if (!File.Exists(path))
        {
            diagnostics.Error(entry.Origin, entry.Key, $"exec: program {Log.Quote(path)} does not exist");
            return null;
        }
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & anyExecute) == 0)
        {
            diagnostics.Error(entry.Origin, entry.Key, $"exec: program {Log.Quote(path)} is not executable");
            return null;
        }
        if (!File.Exists(SetsidPath))
            diagnostics.Warning(entry.Origin, entry.Key, $"exec: {SetsidPath} is missing (util-linux); a timed-out program's children may survive it");
        return new ExecAuthBackend(path, timeProvider);
    }
}
