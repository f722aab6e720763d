namespace MailerQ.Www.AuthNet.Tests.Fixtures;

/// <summary>One private slapd per test class (xUnit class fixture), stopped by PID when the class is done.</summary>
public sealed class SlapdFixture : IAsyncLifetime
{
    private SlapdServer? _server;

    internal SlapdServer Server => _server ?? throw new InvalidOperationException("slapd not started");

    public async ValueTask InitializeAsync() => _server = await SlapdServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
