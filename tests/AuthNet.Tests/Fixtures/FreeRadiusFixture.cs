namespace MailerQ.Www.AuthNet.Tests.Fixtures;

/// <summary>One private freeradius per test class (xUnit class fixture), stopped by PID when the class is done.</summary>
public sealed class FreeRadiusFixture : IAsyncLifetime
{
    private FreeRadiusServer? _server;

    internal FreeRadiusServer Server => _server ?? throw new InvalidOperationException("freeradius not started");

    public async ValueTask InitializeAsync() => _server = await FreeRadiusServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
