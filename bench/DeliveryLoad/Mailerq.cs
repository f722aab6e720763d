using System.Net.Http;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace MailerQ.Www.Bench.DeliveryLoad;

/// <summary>An out/mailerq instance with a private config and data directory, and a console client (Basic auth).</summary>
internal sealed class Mailerq : IDisposable
{
    public const string User = "bench";
    public const string Password = "bench-pw";

    private readonly HttpClient _http;

    private Mailerq(Child child, int httpPort, string sendLog)
    {
        Child = child;
        HttpPort = httpPort;
        SendLog = sendLog;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(10) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(User + ":" + Password)));
    }

    public Child Child { get; }
    public int HttpPort { get; }
    public string SendLog { get; }
    /// <summary>From exec to the first /healthz 200.</summary>
    public TimeSpan StartTime { get; private set; }

    /// <summary>Writes <c>work/NAME.txt</c> and starts the program; returns once /healthz answers.</summary>
    public static async Task<Mailerq> StartAsync(string program, string work, string name, string dataDirectory, int smtpPort, IEnumerable<string> extra)
    {
        int httpPort = Child.FreePort();
        string sendLog = Path.Combine(work, name + "-send.log");
        // The console's files are not needed; an empty www-dir keeps the config valid.
        string www = Directory.CreateDirectory(Path.Combine(work, "www")).FullName;
        var config = new StringBuilder();
        config.Append(CultureInfo.InvariantCulture, $"www-ip: 127.0.0.1\nwww-port: {httpPort}\nwww-auth: hardcoded://{User}:{Password}\nwww-dir: {www}\n");
        config.Append(CultureInfo.InvariantCulture, $"data-directory: {dataDirectory}\nsmtp-ip: 127.0.0.1\nsmtp-port: {smtpPort}\nsend-log-file: {sendLog}\n");
        foreach (var line in extra)
            config.Append(line).Append('\n');
        string configFile = Path.Combine(work, name + ".txt");
        await File.WriteAllTextAsync(configFile, config.ToString());
        var clock = Stopwatch.StartNew();
        var child = Child.Start(name, Path.Combine(work, name + ".log"), program, "--config-file", configFile);
        var mailerq = new Mailerq(child, httpPort, sendLog);
        await mailerq.WaitHealthyAsync(TimeSpan.FromSeconds(120));
        mailerq.StartTime = clock.Elapsed;
        return mailerq;
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (Child.HasExited)
                throw new InvalidOperationException($"{Child.Name} exited during start; see its log");
            try
            {
                using var response = await _http.GetAsync(new Uri("healthz", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException) when (clock.Elapsed < timeout)
            {
            }
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"{Child.Name} did not answer /healthz");
            await Task.Delay(20);
        }
    }

    /// <summary>POSTs a throttle (docs/settings.md "/api/throttles"); throws unless it is created.</summary>
    public async Task AddThrottleAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri("api/throttles", UriKind.Relative), content);
        string body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST /api/throttles: {(int)response.StatusCode} {body}");
    }

    public async Task<string> GetAsync(string path) => await _http.GetStringAsync(new Uri(path, UriKind.Relative));

    public void Dispose()
    {
        Child.Dispose();
        _http.Dispose();
    }
}
