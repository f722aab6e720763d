namespace MailerQ.Www.Delivery.Tests.Cluster;

/// <summary>One private PostgreSQL server per test class; each test makes its own database on it.</summary>
public sealed class PostgreSqlFixture : IAsyncLifetime
{
    internal PostgreSqlServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await PostgreSqlServer.StartAsync();

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
