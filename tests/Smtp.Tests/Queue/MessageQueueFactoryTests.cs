using MailerQ.Www.Core.Config;
using MailerQ.Www.Smtp.Queue;

namespace MailerQ.Www.Smtp.Tests.Queue;

public sealed class MessageQueueFactoryTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("mailerq-factory-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static ConfigSet Config(params string[] args)
    {
        var diagnostics = new ConfigDiagnostics();
        return ConfigLoader.Load(CommandLine.Parse(args, diagnostics), new Dictionary<string, string>(), null, diagnostics);
    }

    [Fact]
    public void Without_rabbitmq_address_the_embedded_queue_takes_inbound_mail_into_the_outbox()
    {
        var queue = Assert.IsType<EmbeddedQueue>(MessageQueueFactory.Create(Config(), _data));
        Assert.Equal("outbox", queue.InboxQueue);
        Assert.Equal("inbox", Assert.IsType<EmbeddedQueue>(MessageQueueFactory.Create(Config("--rabbitmq-inbox=inbox"), _data)).InboxQueue);
    }

    [Fact]
    public async Task With_rabbitmq_address_RabbitMQ_takes_it()
    {
        var config = Config("--rabbitmq-address=amqp://u:p@127.0.0.1:1/", "--rabbitmq-outbox=out2", "--rabbitmq-encoding=none");
        var options = RabbitMqOptions.Read(config)!;
        Assert.Equal("out2", options.Inbox);
        Assert.False(options.Gzip);
        Assert.False(options.Persistent);
        await using var queue = Assert.IsType<RabbitMqQueue>(MessageQueueFactory.Create(config, _data));
    }

    [Fact]
    public void A_bad_rabbitmq_address_is_a_config_error()
    {
        var config = Config("--rabbitmq-address=http://x");
        Assert.Null(RabbitMqOptions.Read(config));
        Assert.True(config.Diagnostics.HasErrors);
    }
}
