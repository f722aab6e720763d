using System.Diagnostics;

namespace MailerQ.Www.Core.Tests.Tls;

/// <summary>Runs the real <c>openssl</c> binary: the reference our TLS code is compared against.</summary>
internal static class OpenSslCli
{
    // Generous: two shared cores; a hung s_client must fail the test, not wedge the run.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static Task<OpenSslRun> RunAsync(params string[] args) =>
        RunAsync(args, stdin: null, workingDirectory: null, CancellationToken.None);

    public static async Task<OpenSslRun> RunAsync(
        IReadOnlyList<string> args, string? stdin, string? workingDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start openssl");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        // s_client keeps a connection open until its stdin ends; closing it right away ends the session.
        if (stdin is not null)
            await process.StandardInput.WriteAsync(stdin.AsMemory(), timeout.Token);
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new OpenSslRun(process.ExitCode, await stdout, await stderr);
    }
}
