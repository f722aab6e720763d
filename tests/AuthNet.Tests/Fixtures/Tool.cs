using System.Diagnostics;

namespace MailerQ.Www.AuthNet.Tests.Fixtures;

/// <summary>Runs a command-line tool (openssl, slappasswd, ldapadd…) to completion, failing the test on a non-zero exit.</summary>
internal static class Tool
{
    public static async Task<string> RunAsync(string program, params string[] args)
    {
        var (exitCode, stdout, stderr) = await TryRunAsync(program, args);
        if (exitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {exitCode}: {stderr}{stdout}");
        return stdout;
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> TryRunAsync(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string arg in args) psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + program);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within 30 s");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
