using System.Diagnostics;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;

namespace MailerQ.Www.Host.Tests;

/// <summary>HTTPS as an operator sets it up: a self-signed pair made with openssl, config errors, reload.</summary>
public sealed class HttpsProgramTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private void MakePair(string name, string cn)
    {
        var psi = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = _dir.Path };
        foreach (var a in new[] { "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".crt", "-subj", "/CN=" + cn, "-days", "2" })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    private string Config(int port, int securePort, string extra = "")
    {
        MakePair("server", "first.example");
        return _dir.Write("config.txt",
            $"www-port: {port}\nwww-secure-port: {securePort}\nwww-ip: 127.0.0.1\nwww-certificate: {_dir.Path}/server.crt\nwww-privatekey: {_dir.Path}/server.key\nwww-dir: {RepoRoot.Path}/www\ndata-directory: {_dir.Path}\n{extra}smtp-port: 0\n");
    }

    private static async Task<string> SubjectAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync("localhost");
        return ssl.RemoteCertificate!.Subject;
    }

    [Fact]
    public async Task Https_serves_the_console_and_plain_http_redirects_to_it()
    {
        int port = MailerQProcess.FreePort(), securePort = MailerQProcess.FreePort();
        await using var p = MailerQProcess.Start(["--config-file", Config(port, securePort, "www-auth: hardcoded://ops:pw\n")]);
        await p.WaitForPortAsync(securePort);

        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true, AllowAutoRedirect = false, UseCookies = false };
        using var http = new HttpClient(handler);
        var health = await http.GetAsync($"https://127.0.0.1:{securePort}/healthz");
        Assert.Equal("ok", await health.Content.ReadAsStringAsync());
        Assert.Equal("max-age=31536000", string.Join(",", health.Headers.GetValues("Strict-Transport-Security")));

        // Over TLS the session cookie is Secure.
        var login = await http.PostAsync($"https://127.0.0.1:{securePort}/api/login", new StringContent("{\"username\":\"ops\",\"password\":\"pw\"}"));
        Assert.Equal(200, (int)login.StatusCode);
        Assert.EndsWith("; HttpOnly; SameSite=Strict; Secure", login.Headers.GetValues("Set-Cookie").Single());

        var redirect = await http.GetAsync($"http://127.0.0.1:{port}/healthz?x=1");
        Assert.Equal(301, (int)redirect.StatusCode);
        Assert.Equal($"https://127.0.0.1:{securePort}/healthz?x=1", redirect.Headers.Location!.OriginalString);

        p.Signal(MailerQProcess.SIGTERM);
        Assert.Equal(0, await p.WaitForExitAsync());
    }

    [Fact]
    public async Task Sighup_reloads_the_certificate_without_dropping_open_connections()
    {
        int port = MailerQProcess.FreePort(), securePort = MailerQProcess.FreePort();
        await using var p = MailerQProcess.Start(["--config-file", Config(port, securePort)]);
        await p.WaitForPortAsync(securePort);
        Assert.Contains("CN=first.example", await SubjectAsync(securePort));

        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler);
        Assert.Equal("ok", await http.GetStringAsync($"https://127.0.0.1:{securePort}/healthz"));

        // Replace the pair in place (as certbot does), then SIGHUP.
        MakePair("next", "second.example");
        File.Copy(Path.Combine(_dir.Path, "next.crt"), Path.Combine(_dir.Path, "server.crt"), overwrite: true);
        File.Copy(Path.Combine(_dir.Path, "next.key"), Path.Combine(_dir.Path, "server.key"), overwrite: true);
        p.Signal(MailerQProcess.SIGHUP);
        var until = DateTime.UtcNow.AddSeconds(10);
        string subject;
        while (!(subject = await SubjectAsync(securePort)).Contains("second.example", StringComparison.Ordinal) && DateTime.UtcNow < until)
            await Task.Delay(100);
        Assert.Contains("CN=second.example", subject);
        // The pooled keep-alive connection from before the reload still answers.
        Assert.Equal("ok", await http.GetStringAsync($"https://127.0.0.1:{securePort}/healthz"));
        Assert.False(p.Process.HasExited);

        // A broken pair is logged and the working one kept.
        File.WriteAllText(Path.Combine(_dir.Path, "server.key"), "garbage");
        p.Signal(MailerQProcess.SIGHUP);
        until = DateTime.UtcNow.AddSeconds(10);
        while (!p.Stderr.Contains("certificate reload failed", StringComparison.Ordinal) && DateTime.UtcNow < until)
            await Task.Delay(100);
        Assert.Contains("certificate reload failed", p.Stderr);
        Assert.Contains("CN=second.example", await SubjectAsync(securePort));

        p.Signal(MailerQProcess.SIGTERM);
        Assert.Equal(0, await p.WaitForExitAsync());
    }

    [Fact]
    public async Task Missing_certificate_mismatched_key_and_bad_ciphers_are_config_errors_with_file_and_line()
    {
        MakePair("a", "a.example");
        MakePair("b", "b.example");
        var missing = _dir.Write("missing.txt", $"www-secure-port: 8443\nwww-certificate: {_dir.Path}/nope.crt\nwww-privatekey: {_dir.Path}/a.key\n");
        var (code, _, stderr) = await MailerQProcess.RunAsync(["--config-file", missing, "--www-dir=www", "--check-config"]);
        Assert.Equal(2, code);
        Assert.Contains($"{missing}:2: www-certificate:", stderr);

        var mismatch = _dir.Write("mismatch.txt", $"www-secure-port: 8443\nwww-certificate: {_dir.Path}/a.crt\nwww-privatekey: {_dir.Path}/b.key\n");
        (code, _, stderr) = await MailerQProcess.RunAsync(["--config-file", mismatch, "--www-dir=www", "--check-config"]);
        Assert.Equal(2, code);
        Assert.Contains($"{mismatch}:3: www-privatekey:", stderr);

        var ciphers = _dir.Write("ciphers.txt", $"www-secure-port: 8443\nwww-certificate: {_dir.Path}/a.crt\nwww-privatekey: {_dir.Path}/a.key\n# the operator's own list\nwww-ciphers: NOT-A-CIPHER\n");
        (code, _, stderr) = await MailerQProcess.RunAsync(["--config-file", ciphers, "--www-dir=www", "--check-config"]);
        Assert.Equal(2, code);
        Assert.Contains($"{ciphers}:5: www-ciphers:", stderr);

        var mailerqExample = _dir.Write("example.txt", $"www-secure-port: 8443\nwww-certificate: {_dir.Path}/a.crt\nwww-privatekey: {_dir.Path}/a.key\nwww-ciphers: !aNULL:!eNULL:!LOW:!SSLv2:!EXPORT:!EXPORT56:FIPS:MEDIUM:HIGH:@STRENGTH\n");
        (code, _, stderr) = await MailerQProcess.RunAsync(["--config-file", mailerqExample, "--www-dir=www", "--check-config"]);
        Assert.True(code == 0, stderr);
    }
}
