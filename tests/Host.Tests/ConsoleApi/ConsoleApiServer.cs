using System.Diagnostics;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace MailerQ.Www.Host.Tests.ConsoleApi;

/// <summary>
/// One real <c>out/mailerq</c> for the console API tests, with <c>render-useragent</c> set and three messages
/// sent to it with Debian's <c>swaks</c>: HTML in KOI8-R, HTML with an inline image (multipart/related inside
/// multipart/alternative, ISO-8859-1 quoted-printable), HTML alone (UTF-8 base64), and plain text.
/// </summary>
public sealed partial class ConsoleApiServer : IAsyncLifetime
{
    public const string User = "ops";
    public const string Password = "pw";
    public const string RenderUserAgent = "Copernica DevOps";
    public const string WwwHost = "console.example";

    /// <summary>A PNG signature plus an IHDR start: recognisable bytes for the cid image.</summary>
    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R'];

    /// <summary>Marks the HTML part; a refused render must not contain it.</summary>
    public const string Marker = "zebra-marker-7781";

    private readonly TempDir _dir = new();
    private MailerQProcess? _process;

    public int Port { get; private set; }
    public int SmtpPort { get; private set; }
    public string RelatedId { get; private set; } = "";
    public string Base64HtmlId { get; private set; } = "";
    public string PlainId { get; private set; } = "";
    public string Koi8Id { get; private set; } = "";
    public string Stderr => _process?.Stderr ?? "";

    public async ValueTask InitializeAsync()
    {
        Port = MailerQProcess.FreePort();
        SmtpPort = MailerQProcess.FreePort();
        var config = _dir.Write("config.txt",
            $"www-port: {Port}\nwww-ip: 127.0.0.1\nwww-dir: {RepoRoot.Path}/www\ndata-directory: {_dir.Path}\n" +
            $"www-auth: hardcoded://{User}:{Password}\nsmtp-port: {SmtpPort}\nsmtp-ip: 127.0.0.1\n" +
            $"render-useragent: {RenderUserAgent}\nwww-host: {WwwHost}\n");
        _process = MailerQProcess.Start(["--config-file", config]);
        await _process.WaitForPortAsync(Port);
        await _process.WaitForPortAsync(SmtpPort);

        string png64 = Convert.ToBase64String(Png);
        RelatedId = await SwaksAsync("related.eml",
            "From: a@example.org\r\nTo: b@example.net\r\nSubject: related\r\nMIME-Version: 1.0\r\n" +
            "Content-Type: multipart/related; boundary=\"R\"\r\n\r\n" +
            "--R\r\nContent-Type: multipart/alternative; boundary=\"A\"\r\n\r\n" +
            "--A\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nplain version\r\n" +
            "--A\r\nContent-Type: text/html; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
            $"<html><body><p>Gr=FC=DFe {Marker}</p><img src=3D\"cid:logo@example.org\"></body></html>\r\n" +
            "--A--\r\n" +
            $"--R\r\nContent-Type: image/png\r\nContent-ID: <logo@example.org>\r\nContent-Transfer-Encoding: base64\r\n\r\n{png64}\r\n" +
            "--R--\r\n");
        string html64 = Convert.ToBase64String(Encoding.UTF8.GetBytes("<p>Привет, base64 ✓</p>"));
        Base64HtmlId = await SwaksAsync("base64.eml",
            "From: a@example.org\r\nTo: c@example.net\r\nSubject: base64\r\nMIME-Version: 1.0\r\n" +
            $"Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{html64}\r\n");
        // KOI8-R needs the code-page encodings, which MimeKit registers itself ("Привет" = F0 D2 C9 D7 C5 D4).
        Koi8Id = await SwaksAsync("koi8.eml",
            "From: a@example.org\r\nTo: e@example.net\r\nSubject: koi8\r\nMIME-Version: 1.0\r\n" +
            "Content-Type: text/html; charset=koi8-r\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<b>=F0=D2=C9=D7=C5=D4</b>\r\n");
        PlainId = await SwaksAsync("plain.eml",
            "From: a@example.org\r\nTo: d@example.net\r\nSubject: plain\r\n\r\njust text\r\n");
    }

    /// <summary>Sends a message with swaks and returns the id from the server's 250 ("queued as …").</summary>
    private async Task<string> SwaksAsync(string name, string message)
    {
        string file = _dir.Write(name, message);
        var psi = new ProcessStartInfo("swaks")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--server", $"127.0.0.1:{SmtpPort}", "--from", "a@example.org", "--to", "b@example.net", "--data", "@" + file })
            psi.ArgumentList.Add(a);
        using var swaks = Process.Start(psi)!;
        var stdout = swaks.StandardOutput.ReadToEndAsync();
        var stderr = swaks.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await swaks.WaitForExitAsync(timeout.Token);
        string output = await stdout + await stderr;
        Assert.True(swaks.ExitCode == 0, output);
        var match = QueuedAs().Match(output);
        Assert.True(match.Success, output);
        return match.Groups[1].Value;
    }

    [GeneratedRegex("queued as ([0-9a-f]{32})")]
    private static partial Regex QueuedAs();

    public HttpClient Client()
    {
        var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };
        return client;
    }

    /// <summary>A client logged in with Basic auth on every request.</summary>
    public HttpClient BasicClient()
    {
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        _dir.Dispose();
    }
}
