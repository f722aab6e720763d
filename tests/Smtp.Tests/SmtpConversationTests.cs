using System.Text;

namespace MailerQ.Www.Smtp.Tests;

public sealed class SmtpConversationTests : IAsyncLifetime
{
    private SmtpTestServer _server = null!;

    public ValueTask InitializeAsync()
    {
        _server = SmtpTestServer.Start();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Accepts_a_message_and_queues_it_durably_before_250()
    {
        await using var client = await _server.ConnectAsync();
        var ehlo = await client.HelloAsync();
        Assert.Equal(
            "250-mx.test\n250-PIPELINING\n250-SIZE 104857600\n250-8BITMIME\n250-SMTPUTF8\n250-ENHANCEDSTATUSCODES\n250-CHUNKING\n250-DSN\n250 HELP",
            ehlo);
        Assert.Equal("250 2.1.0 Sender OK", await client.CommandAsync("MAIL FROM:<alice@example.org> SIZE=100 BODY=8BITMIME"));
        Assert.Equal("250 2.1.5 Recipient OK", await client.CommandAsync("RCPT TO:<bob@example.net>"));
        Assert.Equal("354 End data with <CR><LF>.<CR><LF>", await client.CommandAsync("DATA"));
        var reply = await client.CommandAsync("Subject: hi\r\n\r\n..dot\r\nbody\r\n.");
        Assert.Matches("^250 2.0.0 Ok: queued as [0-9a-f]{32}$", reply);
        string id = reply[^32..];

        var queued = Assert.Single(_server.Queued());
        Assert.Equal(id, queued.Message.Id);
        Assert.Equal("alice@example.org", queued.Message.Envelope);
        Assert.Equal("bob@example.net", Assert.Single(queued.Message.Recipients).Address);
        Assert.Equal("Subject: hi\r\n\r\n.dot\r\nbody\r\n", Encoding.ASCII.GetString(queued.Mime));
        Assert.Equal(queued.Mime, _server.Options.Store!.ReadRaw(id));
        Assert.Equal("221 2.0.0 Bye", await client.CommandAsync("QUIT"));
        Assert.True(await client.IsClosedAsync());
        Assert.Equal(1, _server.Options.Counters.Messages);
    }
}
