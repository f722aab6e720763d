using System.Diagnostics;

namespace MailerQ.Www.Auth.Tests.Support;

/// <summary>Runs a real program (mkpasswd, openssl, htpasswd, useradd…) and returns its output; fails the test on a non-zero exit.</summary>
internal static class Cli
{
    public static string Run(string program, params string[] args) => RunWithInput(null, program, args);

    public static string RunWithInput(string? stdin, string program, params string[] args)
    {
        var (exit, stdout, stderr) = TryRun(stdin, program, args);
        if (exit != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {exit}: {stderr}");
        return stdout;
    }

    public static (int Exit, string Stdout, string Stderr) TryRun(string? stdin, string program, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        if (stdin is not null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        var stdoutTask = p.StandardOutput.ReadToEndAsync();
        var stderrTask = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(true);
            throw new TimeoutException($"{program} did not finish");
        }
        return (p.ExitCode, stdoutTask.Result, stderrTask.Result);
    }
}
