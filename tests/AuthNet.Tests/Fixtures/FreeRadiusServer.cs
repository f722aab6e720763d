namespace MailerQ.Www.AuthNet.Tests.Fixtures;

/// <summary>
/// A private FreeRADIUS (shared recipe + tests/AuthNet.Tests/Fixtures/radiusd.conf.tpl) in a temporary
/// directory on UDP 127.0.0.1:<see cref="Port"/>, run as <c>freeradius -X -d DIR</c> (foreground, our
/// PID), ready when it prints "Ready to process requests".
/// </summary>
internal sealed class FreeRadiusServer : IAsyncDisposable
{
    public const string Secret = "test-shared-secret-0123";
    public const string BobPassword = "pw";
    public const string CarolPassword = "carol-pw";

    // bob: a plain user. carol: right password, but the server answers with an Access-Challenge (as an
    // OTP second step would). Reply-Message and State make it look like a real challenge.
    private const string Users = $"""
        bob Cleartext-Password := "{BobPassword}"

        carol Cleartext-Password := "{CarolPassword}", Response-Packet-Type := Access-Challenge
        	Reply-Message = "one more step", State = 0x01

        """;

    private readonly TempDir _dir;
    private readonly ServerProcess _process;

    private FreeRadiusServer(TempDir dir, ServerProcess process, int port)
    {
        _dir = dir;
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public string Output => _process.Output;

    public static async Task<FreeRadiusServer> StartAsync()
    {
        var dir = new TempDir("radius");
        try
        {
            foreach (string sub in new[] { "log", "run", "radacct" })
                Directory.CreateDirectory(dir.File(sub));
            int port = FreePort.Udp();
            string template = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "radiusd.conf.tpl"));
            dir.Write("radiusd.conf", template
                .Replace("@DIR@", dir.Path, StringComparison.Ordinal)
                .Replace("@PORT@", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("@SECRET@", Secret, StringComparison.Ordinal));
            dir.Write("users", Users);
            dir.Write("dictionary", string.Empty); // the system dictionaries are used
            var process = ServerProcess.Start("freeradius", "-X", "-d", dir.Path);
            var server = new FreeRadiusServer(dir, process, port);
            try
            {
                await process.WaitForOutputAsync("Ready to process requests");
                return server;
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _dir.Dispose();
    }
}
