using System.IO.Compression;
using System.Text.Json;
using MailerQ.Www.Smtp.Queue;
using MailerQ.Www.Core.Sessions;

namespace MailerQ.Www.Smtp.Tests;

/// <summary>The RabbitMQ back-end against a real private broker (Debian's rabbitmq-server).</summary>
public sealed class RabbitMqQueueTests
{
    private static async Task<string> SendAsync(SmtpTestServer server, params string[] recipients)
    {
        await using var client = await server.ConnectAsync();
        await client.HelloAsync();
        await client.CommandAsync("MAIL FROM:<alice@example.org>");
        foreach (var r in recipients)
            Assert.StartsWith("250", await client.CommandAsync($"RCPT TO:<{r}>"));
        await client.CommandAsync("DATA");
        return await client.CommandAsync("Subject: via rabbit\r\n\r\nhello\r\n.");
    }

    [Fact]
    public async Task Publishes_MailerQ_JSON_per_recipient_with_confirms_and_answers_451_while_the_broker_is_down()
    {
        await using var broker = await RabbitMqBroker.StartAsync();
        string data = Directory.CreateTempSubdirectory("mailerq-rmq-data-").FullName;
        var queue = new RabbitMqQueue(new RabbitMqOptions { Address = broker.Url, Inbox = "inbox-test", Persistent = true }, data);
        await using var server = SmtpTestServer.Start(o => o.Queue = queue);

        string reply = await SendAsync(server, "bob@example.net", "carol@example.net");
        Assert.StartsWith("250 2.0.0 Ok: queued as ", reply);
        string id = reply[^32..];
        // The console's store keeps the MIME even though the message went to the broker.
        Assert.Equal("Subject: via rabbit\r\n\r\nhello\r\n", System.Text.Encoding.ASCII.GetString(server.Options.Store!.ReadRaw(id)!));

        var recipients = new List<string>();
        for (int i = 0; i < 2; i++)
        {
            var body = await broker.GetAsync("inbox-test");
            Assert.NotNull(body);
            using var gzip = new GZipStream(new MemoryStream(body!), CompressionMode.Decompress);
            using var json = await JsonDocument.ParseAsync(gzip);
            var root = json.RootElement;
            Assert.Equal("alice@example.org", root.GetProperty("envelope").GetString());
            Assert.Equal(id, root.GetProperty("message-id").GetString());
            Assert.Equal("Subject: via rabbit\r\n\r\nhello\r\n", root.GetProperty("mime").GetString());
            Assert.Equal("127.0.0.1", root.GetProperty("connection").GetProperty("remote-ip").GetString());
            recipients.Add(root.GetProperty("recipient").GetString()!);
        }
        Assert.Equal(["bob@example.net", "carol@example.net"], recipients.Order());
        Assert.Null(await broker.GetAsync("inbox-test"));

        // Broker down: the client is told to retry and keeps the message; nothing half-published.
        await broker.StopServerAsync();
        Assert.StartsWith("451 4.3.0", await SendAsync(server, "dave@example.net"));
        Assert.Equal(1, server.Options.Counters.Rejections(SmtpRejection.Queue));
        Assert.Empty(Directory.GetFiles(Path.Combine(data, "queue", "tmp")));

        // Broker back: the next message reconnects (after the backoff) and is confirmed.
        await broker.StartServerAsync();
        string again = "";
        for (int attempt = 0; attempt < 40 && !again.StartsWith("250", StringComparison.Ordinal); attempt++)
        {
            again = await SendAsync(server, "erin@example.net");
            if (!again.StartsWith("250", StringComparison.Ordinal)) await Task.Delay(250);
        }
        Assert.StartsWith("250 2.0.0 Ok: queued as ", again);
        Assert.NotNull(await broker.GetAsync("inbox-test"));
        await queue.DisposeAsync();
        Directory.Delete(data, recursive: true);
    }
}
