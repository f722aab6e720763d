using MailerQ.Www.Core.Config;
using MailerQ.Www.Smtp.Cluster;

namespace MailerQ.Www.Delivery.Tests.Cluster;

/// <summary>The cluster-* keys: defaults from rabbitmq-address, MailerQ's exchange name and timeout, and validation.</summary>
public sealed class ClusterOptionsTests
{
    private static (ClusterOptions? Options, ConfigDiagnostics Diagnostics) Read(params string[] args)
    {
        var diagnostics = new ConfigDiagnostics();
        var config = ConfigLoader.Load(CommandLine.Parse(args, diagnostics), new Dictionary<string, string>(), null, diagnostics);
        return (ClusterOptions.Read(config), diagnostics);
    }

    [Fact]
    public void No_broker_address_means_a_lone_instance()
    {
        var (options, diagnostics) = Read();
        Assert.Null(options);
        Assert.False(diagnostics.HasErrors);
    }

    [Fact]
    public void Cluster_address_defaults_to_rabbitmq_address_with_mailerqs_exchange_and_timeout()
    {
        var (options, _) = Read("--rabbitmq-address=amqp://u:p@mq.example/vh");
        Assert.Equal("amqp://u:p@mq.example/vh", options!.Address);
        Assert.Equal("cluster", options.Exchange);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(60), options.Interval);

        (options, _) = Read("--rabbitmq-address=amqp://u:p@mq.example/", "--cluster-address=amqps://c:p@other.example/", "--cluster-exchange=mq",
            "--cluster-timeout=2500ms", "--cluster-interval=5");
        Assert.Equal("amqps://c:p@other.example/", options!.Address);
        Assert.Equal("mq", options.Exchange);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), options.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Interval);
    }

    [Theory]
    [InlineData("--cluster-address=http://mq.example/")]
    [InlineData("--cluster-timeout=0")]
    [InlineData("--cluster-interval=10ms")]
    public void Bad_cluster_keys_are_config_errors_naming_the_key(string arg)
    {
        var (_, diagnostics) = Read("--rabbitmq-address=amqp://u:p@mq.example/", arg);
        Assert.True(diagnostics.HasErrors);
        Assert.Contains(diagnostics, d => d.ToString().Contains(arg[2..arg.IndexOf('=')], StringComparison.Ordinal));
    }
}
