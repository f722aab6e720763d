using System.Diagnostics;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;

namespace MailerQ.Www.Browser.Tests;

/// <summary>What the overview tests do besides the browser: send mail with Debian's swaks, and call the API as a script would (Basic auth).</summary>
internal static class OverviewMail
{
    /// <summary>Sends <paramref name="count"/> messages to <paramref name="recipient"/> through the console's SMTP port.</summary>
    public static async Task SendAsync(ConsoleSession console, string recipient, int count = 1, string? tag = null)
    {
        for (int i = 0; i < count; i++)
        {
            var psi = new ProcessStartInfo("swaks") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "--server", $"127.0.0.1:{console.SmtpPort}", "--from", "sender@example.org", "--to", recipient, "--header", $"Subject: overview test {i}" })
                psi.ArgumentList.Add(a);
            if (tag is not null)
            {
                psi.ArgumentList.Add("--add-header");
                psi.ArgumentList.Add($"x-mq-tag: {tag}");
            }
            using var swaks = Process.Start(psi)!;
            var stdout = swaks.StandardOutput.ReadToEndAsync();
            var stderr = swaks.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await swaks.WaitForExitAsync(timeout.Token);
            Assert.True(swaks.ExitCode == 0, await stdout + await stderr);
        }
    }

    public static HttpClient Api(ConsoleSession console)
    {
        var http = new HttpClient { BaseAddress = new Uri(console.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ConsoleSession.User}:{ConsoleSession.Password}")));
        return http;
    }

    public static async Task<string> PostJsonAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return body;
    }
}
