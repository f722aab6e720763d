using MailerQ.Www.Delivery.Tests.Cluster;
using MailerQ.Www.Smtp.Tests;

namespace MailerQ.Www.Host.Tests.Cluster;

/// <summary>One private PostgreSQL and one private RabbitMQ for a test class; each test takes its own database and exchange.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    internal PostgreSqlServer Postgres { get; private set; } = null!;
    internal RabbitMqBroker Rabbit { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var postgres = PostgreSqlServer.StartAsync();
        var rabbit = RabbitMqBroker.StartAsync();
        Postgres = await postgres;
        Rabbit = await rabbit;
    }

    public static string NewExchange() => "cluster-" + Guid.NewGuid().ToString("N")[..8];

    public async ValueTask DisposeAsync()
    {
        await Rabbit.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}
