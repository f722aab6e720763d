using System.Net;
using System.Text;
using MailerQ.Www.Smtp.Queue;
using MailerQ.Www.Core.Sessions;

namespace MailerQ.Www.Smtp.Tests;

public sealed class SmtpProtocolTests
{
    [Fact]
    public async Task Answers_a_pipelined_transaction_in_order()
    {
        await using var server = SmtpTestServer.Start();
        await using var client = await server.ConnectAsync();
        await client.ReadReplyAsync();

        await client.SendAsync("EHLO c.test\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nRCPT TO:<c@example.net>\r\nDATA\r\n");
        Assert.StartsWith("250-mx.test", await client.ReadReplyAsync());
        Assert.Equal("250 2.1.0 Sender OK", await client.ReadReplyAsync());
        Assert.Equal("250 2.1.5 Recipient OK", await client.ReadReplyAsync());
        Assert.Equal("250 2.1.5 Recipient OK", await client.ReadReplyAsync());
        Assert.StartsWith("354", await client.ReadReplyAsync());
        // Data, end, and the next transaction in one write.
        await client.SendAsync("x\r\n.\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<d@example.net>\r\nDATA\r\n");
        Assert.StartsWith("250 2.0.0 Ok: queued as ", await client.ReadReplyAsync());
        Assert.StartsWith("250", await client.ReadReplyAsync());
        Assert.StartsWith("250", await client.ReadReplyAsync());
        Assert.StartsWith("354", await client.ReadReplyAsync());
        await client.SendAsync("y\r\n.\r\nQUIT\r\n");
        Assert.StartsWith("250 2.0.0 Ok: queued as ", await client.ReadReplyAsync());
        Assert.StartsWith("221", await client.ReadReplyAsync());

        var queued = server.Queued();
        Assert.Equal(2, queued.Count);
        Assert.Contains(queued, q => q.Message.Recipients.Count == 2 && Encoding.ASCII.GetString(q.Mime) == "x\r\n");
    }

    [Fact]
    public async Task A_message_sent_one_byte_per_write_is_unstuffed_across_every_read_boundary()
    {
        await using var server = SmtpTestServer.Start();
        await using var client = await server.ConnectAsync();
        await client.HelloAsync();
        await client.CommandAsync("MAIL FROM:<a@example.org>");
        await client.CommandAsync("RCPT TO:<b@example.net>");
        await client.CommandAsync("DATA");
        foreach (byte b in "..one\r\ntwo.\r\n...\r\n\r\n.\r\n"u8.ToArray())
            await client.SendAsync([b]);
        Assert.StartsWith("250 2.0.0 Ok: queued as", await client.ReadReplyAsync());
        Assert.Equal(".one\r\ntwo.\r\n..\r\n\r\n", Encoding.ASCII.GetString(Assert.Single(server.Queued()).Mime));
    }

    [Fact]
    public async Task Implicit_TLS_without_a_certificate_does_not_start()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SmtpTestServer.Start(implicitTls: true));
        Assert.Contains("needs SmtpServerOptions.Tls", error.Message);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task BDAT_chunks_make_one_message()
    {
        await using var server = SmtpTestServer.Start();
        await using var client = await server.ConnectAsync();
        await client.HelloAsync();
        await client.CommandAsync("MAIL FROM:<a@example.org>");
        await client.CommandAsync("RCPT TO:<b@example.net>");
        await client.SendAsync("BDAT 5\r\nHello");
        Assert.Equal("250 2.0.0 5 octets received", await client.ReadReplyAsync());
        // Chunk data is binary: a "." line and bare LF are content, not syntax.
        await client.SendAsync("BDAT 10 LAST\r\n world\n.\r\n");
        var reply = await client.ReadReplyAsync();
        Assert.StartsWith("250 2.0.0 Ok: queued as ", reply);
        Assert.Equal("Hello world\n.\r\n", Encoding.ASCII.GetString(Assert.Single(server.Queued()).Mime));
        Assert.StartsWith("503", await client.CommandAsync("DATA"));
    }

    [Fact]
    public async Task Overlong_command_lines_get_500_and_the_session_goes_on()
    {
        await using var server = SmtpTestServer.Start();
        await using var client = await server.ConnectAsync();
        await client.HelloAsync();
        Assert.StartsWith("500 5.5.2 Line too long", await client.CommandAsync("NOOP " + new string('x', 507)));
        Assert.StartsWith("250", await client.CommandAsync("NOOP " + new string('x', 505)));
        // Far over the limit, spread over many reads: one 500, then back in sync.
        await client.SendAsync(new string('y', 20_000));
        await client.SendAsync("\r\n");
        Assert.StartsWith("500 5.5.2 Line too long", await client.ReadReplyAsync());
        Assert.StartsWith("250", await client.CommandAsync("NOOP"));
    }

    [Fact]
    public async Task Bare_LF_ends_a_command_but_bare_CR_is_refused()
    {
        await using var server = SmtpTestServer.Start();
        await using var client = await server.ConnectAsync();
        await client.HelloAsync();
        await client.SendAsync("NOOP\n");
        Assert.StartsWith("250", await client.ReadReplyAsync());
        Assert.StartsWith("500 5.5.2 Bare CR", await client.CommandAsync("NO\rOP"));
    }

    [Theory]
    [InlineData("a\nb\r\n.\r\n", "554 5.6.0 Message refused: bare CR or LF")]
    [InlineData("a\rb\r\n.\r\n", "554 5.6.0 Message refused: bare CR or LF")]
    public async Task Messages_with_bare_line_endings_are_refused(string data, string reply)
    {
        await using var server = SmtpTestServer.Start();
        await using var client = await server.ConnectAsync();
        await client.HelloAsync();
        await client.CommandAsync("MAIL FROM:<a@example.org>");
        await client.CommandAsync("RCPT TO:<b@example.net>");
        await client.CommandAsync("DATA");
        await client.SendAsync(data);
        Assert.StartsWith(reply, await client.ReadReplyAsync());
        Assert.Empty(server.Queued());
        Assert.Empty(Directory.GetFiles(server.Queue.TempDirectory));
    }

    [Fact]
    public async Task A_smuggled_LF_dot_LF_does_not_end_the_message()
    {
        await using var server = SmtpTestServer.Start();
        await using var client = await server.ConnectAsync();
        await client.HelloAsync();
        await client.CommandAsync("MAIL FROM:<a@example.org>");
        await client.CommandAsync("RCPT TO:<b@example.net>");
        await client.CommandAsync("DATA");
        await client.SendAsync("a\n.\nMAIL FROM:<evil@example.org>\r\nRCPT TO:<victim@example.net>\r\nDATA\r\nevil\r\n.\r\n");
        // One reply for the whole thing: the smuggled commands were message text.
        Assert.StartsWith("554 5.6.0", await client.ReadReplyAsync());
        Assert.StartsWith("250", await client.CommandAsync("NOOP"));
        Assert.Empty(server.Queued());
    }

    [Fact]
    public async Task Text_lines_over_1000_octets_and_oversized_messages_are_refused()
    {
        await using var server = SmtpTestServer.Start(o => o.MaxMessageSize = 2000);
        await using var client = await server.ConnectAsync();
        Assert.Contains("250-SIZE 2000", await client.HelloAsync());
        await client.CommandAsync("MAIL FROM:<a@example.org>");
        await client.CommandAsync("RCPT TO:<b@example.net>");
        await client.CommandAsync("DATA");
        await client.SendAsync(new string('a', 999) + "\r\n.\r\n");
        Assert.StartsWith("554 5.6.0 Message refused: line longer than 1000", await client.ReadReplyAsync());

        await client.CommandAsync("MAIL FROM:<a@example.org>");
        await client.CommandAsync("RCPT TO:<b@example.net>");
        await client.CommandAsync("DATA");
        for (int i = 0; i < 30; i++)
            await client.SendAsync(new string('b', 98) + "\r\n");
        await client.SendAsync(".\r\n");
        Assert.StartsWith("552 5.3.4", await client.ReadReplyAsync());
        Assert.StartsWith("552 5.3.4", await client.CommandAsync("MAIL FROM:<a@example.org> SIZE=2001"));
        Assert.Empty(server.Queued());
    }

    [Fact]
    public async Task Too_many_recipients_get_452()
    {
        await using var server = SmtpTestServer.Start(o => o.MaxRecipients = 2);
        await using var client = await server.ConnectAsync();
        await client.HelloAsync();
        await client.CommandAsync("MAIL FROM:<a@example.org>");
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<b@example.net>"));
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<c@example.net>"));
        Assert.Equal("452 4.5.3 Too many recipients", await client.CommandAsync("RCPT TO:<d@example.net>"));
    }

    [Fact]
    public async Task Too_many_errors_close_the_session_with_421()
    {
        await using var server = SmtpTestServer.Start();
        await using var client = await server.ConnectAsync();
        await client.HelloAsync();
        for (int i = 0; i < 19; i++)
            Assert.StartsWith("500", await client.CommandAsync("BOGUS"));
        await client.SendAsync("BOGUS\r\n");
        Assert.StartsWith("500", await client.ReadReplyAsync());
        Assert.StartsWith("421 4.7.0", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task Will_time_out_waiting_for_a_command()
    {
        await using var server = SmtpTestServer.Start(o => o.CommandTimeout = TimeSpan.FromMilliseconds(300));
        await using var client = await server.ConnectAsync();
        await client.HelloAsync();
        Assert.StartsWith("421 4.4.2 mx.test Error: timeout exceeded", await client.ReadReplyAsync(TimeSpan.FromSeconds(5)));
        Assert.True(await client.IsClosedAsync());
        Assert.Equal(1, server.Options.Counters.Rejections(SmtpRejection.Timeout));
    }

    [Fact]
    public async Task Waits_the_full_smtp_timeout_of_300_seconds_on_the_clock()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        await using var server = SmtpTestServer.Start(o => o.Time = clock);
        await using var client = await server.ConnectAsync();
        await client.HelloAsync();
        // The session arms its timer just after flushing the reply; give it a moment, then check both sides of 300 s.
        await Task.Delay(200);
        clock.Advance(TimeSpan.FromSeconds(299));
        Assert.StartsWith("250", await client.CommandAsync("NOOP"));
        await Task.Delay(200);
        clock.Advance(TimeSpan.FromSeconds(299));
        await Task.Delay(200);
        Assert.Equal(0, server.Options.Counters.Rejections(SmtpRejection.Timeout));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.StartsWith("421 4.4.2", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Stopping_sends_421_to_idle_sessions()
    {
        await using var server = SmtpTestServer.Start();
        await using var client = await server.ConnectAsync();
        await client.HelloAsync();
        var stop = server.Server.StopAsync(TimeSpan.FromSeconds(5));
        Assert.StartsWith("421 4.3.2", await client.ReadReplyAsync());
        await stop;
    }

    [Fact]
    public async Task Stopping_lets_an_open_transaction_finish()
    {
        await using var server = SmtpTestServer.Start();
        await using var client = await server.ConnectAsync();
        await client.HelloAsync();
        await client.CommandAsync("MAIL FROM:<a@example.org>");
        await client.CommandAsync("RCPT TO:<b@example.net>");
        await client.CommandAsync("DATA");
        await client.SendAsync("part one\r\n");
        var stop = server.Server.StopAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(100);
        await client.SendAsync("part two\r\n.\r\n");
        Assert.StartsWith("250 2.0.0 Ok: queued as", await client.ReadReplyAsync());
        Assert.StartsWith("421 4.3.2", await client.ReadReplyAsync());
        await stop;
        Assert.Single(server.Queued());
    }

    [Fact]
    public async Task Extracts_x_mq_headers_and_writes_MailerQ_inbound_json()
    {
        await using var server = SmtpTestServer.Start();
        await using var client = await server.ConnectAsync();
        await client.HelloAsync();
        await client.CommandAsync("MAIL FROM:<a@example.org> RET=HDRS ENVID=env1");
        await client.CommandAsync("RCPT TO:<b@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.net");
        await client.CommandAsync("DATA");
        var reply = await client.CommandAsync("x-mq-tag: news, june\r\nX-MQ-Pool: warm\r\nx-mq-maxattempts: 3\r\nSubject: s\r\n\r\nbody\r\n.");
        string id = reply[^32..];

        var (message, mime) = Assert.Single(server.Queued());
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
            InboundJson.WriteRecipient(writer, message, 0, mime);
        using var json = System.Text.Json.JsonDocument.Parse(buffer.WrittenMemory);
        var root = json.RootElement;
        Assert.Equal("a@example.org", root.GetProperty("envelope").GetString());
        Assert.Equal("b@example.net", root.GetProperty("recipient").GetString());
        Assert.Equal(Encoding.ASCII.GetString(mime), root.GetProperty("mime").GetString());
        Assert.Equal(id, root.GetProperty("message-id").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", root.GetProperty("received").GetString());
        Assert.Equal("mx.test", root.GetProperty("hostname").GetString());
        var connection = root.GetProperty("connection");
        Assert.Equal("127.0.0.1", connection.GetProperty("remote-ip").GetString());
        Assert.Equal(server.Port, connection.GetProperty("local-port").GetInt32());
        Assert.False(connection.GetProperty("secure").GetBoolean());
        var dsn = root.GetProperty("dsn");
        Assert.Equal("SUCCESS,FAILURE", dsn.GetProperty("notify").GetString());
        Assert.Equal("HDRS", dsn.GetProperty("ret").GetString());
        Assert.Equal("env1", dsn.GetProperty("envid").GetString());
        Assert.Equal(["news", "june"], root.GetProperty("tags").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("warm", root.GetProperty("pool").GetString());
        Assert.Equal(3, root.GetProperty("maxattempts").GetInt32());
    }

    [Fact]
    public async Task Records_the_session_for_the_console()
    {
        await using var server = SmtpTestServer.Start();
        await using (var client = await server.ConnectAsync())
        {
            await client.HelloAsync();
            await client.CommandAsync("MAIL FROM:<a@example.org>");
            await client.CommandAsync("RCPT TO:<b@example.net>");
            await client.CommandAsync("DATA");
            var reply = await client.CommandAsync("hello\r\n.");
            await client.CommandAsync("QUIT");
            var record = server.Options.Sessions.Latest(10).Single();
            Assert.Equal("in", record.Direction);
            Assert.Equal(IPAddress.Loopback, record.Peer!.Address);
            Assert.Equal("a@example.org", record.From);
            Assert.Equal(["b@example.net"], record.Recipients);
            Assert.Equal(reply[^32..], record.MessageId);
            Assert.Equal(7, record.Size);
            var lines = record.Transcript;
            Assert.Equal(('s', "220 mx.test ESMTP MailerQ.Www"), (lines[0].Dir, lines[0].Line));
            Assert.Equal(('c', "EHLO client.test"), (lines[1].Dir, lines[1].Line));
            Assert.Contains(lines, l => l.Dir == 'c' && l.Line == "[message data: 7 octets]");
            Assert.Equal(('s', "221 2.0.0 Bye"), (lines[^1].Dir, lines[^1].Line));
        }
    }
}
