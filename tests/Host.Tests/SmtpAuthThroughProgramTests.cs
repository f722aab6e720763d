using System.Diagnostics;

namespace MailerQ.Www.Host.Tests;

/// <summary>smtp-auth with a real scheme through the real program, driven by swaks over STARTTLS.</summary>
public sealed class SmtpAuthThroughProgramTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task Auth_after_starttls_with_a_hardcoded_scheme_accepts_the_right_password_only()
    {
        var (code, output) = await RunAsync("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", _dir.Path + "/smtp.key", "-out", _dir.Path + "/smtp.crt", "-subj", "/CN=localhost", "-days", "2");
        Assert.True(code == 0, output);
        int port = MailerQProcess.FreePort(), smtpPort = MailerQProcess.FreePort();
        var file = _dir.Write("config.txt",
            $"www-port: {port}\nwww-ip: 127.0.0.1\nwww-dir: {RepoRoot.Path}/www\ndata-directory: {_dir.Path}\nwww-auth: hardcoded://ops:pw\n" +
            $"smtp-port: {smtpPort}\nsmtp-ip: 127.0.0.1\nsmtp-certificate: {_dir.Path}/smtp.crt\nsmtp-key: {_dir.Path}/smtp.key\nsmtp-auth: hardcoded://sender:m41l-pw\n");
        await using var p = MailerQProcess.Start(["--config-file", file]);
        await p.WaitForPortAsync(smtpPort);

        var good = await RunAsync("swaks", "--server", $"127.0.0.1:{smtpPort}", "--from", "a@example.org", "--to", "b@example.net",
            "--tls", "--auth", "PLAIN", "--auth-user", "sender", "--auth-password", "m41l-pw", "--timeout", "20");
        Assert.True(good.Code == 0, good.Output);
        Assert.Contains("235", good.Output);
        Assert.Contains("queued as", good.Output);

        var bad = await RunAsync("swaks", "--server", $"127.0.0.1:{smtpPort}", "--from", "a@example.org", "--to", "b@example.net",
            "--tls", "--auth", "LOGIN", "--auth-user", "sender", "--auth-password", "wrong", "--timeout", "20");
        Assert.NotEqual(0, bad.Code);
        Assert.Contains("535", bad.Output);
        Assert.Contains(" auth login failed user=sender", p.Stderr);
    }
}
