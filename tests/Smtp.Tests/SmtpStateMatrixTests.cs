namespace MailerQ.Www.Smtp.Tests;

/// <summary>RFC 5321 section 4.1.4 sequencing: every command in every state, over a real socket.</summary>
public sealed class SmtpStateMatrixTests : IAsyncLifetime
{
    private SmtpTestServer _server = null!;

    public ValueTask InitializeAsync()
    {
        _server = SmtpTestServer.Start();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static readonly string[] Setup = ["EHLO client.test", "MAIL FROM:<a@example.org>", "RCPT TO:<b@example.net>"];

    [Theory]
    // Connected: nothing but greetings and the always-allowed commands.
    [InlineData(0, "EHLO client.test", "250")]
    [InlineData(0, "HELO client.test", "250")]
    [InlineData(0, "EHLO", "501")]
    [InlineData(0, "MAIL FROM:<a@example.org>", "503")]
    [InlineData(0, "RCPT TO:<b@example.net>", "503")]
    [InlineData(0, "DATA", "503")]
    [InlineData(0, "RSET", "250")]
    [InlineData(0, "NOOP", "250")]
    [InlineData(0, "VRFY bob", "252")]
    [InlineData(0, "EXPN list", "502")]
    [InlineData(0, "HELP", "214")]
    [InlineData(0, "STARTTLS", "503")]
    [InlineData(0, "AUTH PLAIN", "503")]
    [InlineData(0, "QUIT", "221")]
    [InlineData(0, "FROB", "500")]
    // Ready (after EHLO).
    [InlineData(1, "EHLO again.test", "250")]
    [InlineData(1, "MAIL FROM:<a@example.org>", "250")]
    [InlineData(1, "MAIL FROM:<>", "250")]
    [InlineData(1, "MAIL FROM:a@example.org", "501")]
    [InlineData(1, "MAIL FROM:<a@example.org> XFOO=1", "555")]
    [InlineData(1, "MAIL FROM:<a@example.org> SIZE=999999999999", "552")]
    [InlineData(1, "RCPT TO:<b@example.net>", "503")]
    [InlineData(1, "DATA", "503")]
    [InlineData(1, "RSET", "250")]
    [InlineData(1, "NOOP", "250")]
    [InlineData(1, "VRFY bob", "252")]
    [InlineData(1, "STARTTLS", "502")]
    [InlineData(1, "AUTH PLAIN", "502")]
    [InlineData(1, "QUIT", "221")]
    // Mail (after MAIL FROM).
    [InlineData(2, "MAIL FROM:<a@example.org>", "503")]
    [InlineData(2, "RCPT TO:<b@example.net>", "250")]
    [InlineData(2, "RCPT TO:<postmaster>", "250")]
    [InlineData(2, "RCPT TO:<b@example.net> NOTIFY=FAILURE ORCPT=rfc822;b@example.net", "250")]
    [InlineData(2, "RCPT TO:<nodomain>", "501")]
    [InlineData(2, "DATA", "503")]
    [InlineData(2, "RSET", "250")]
    [InlineData(2, "EHLO client.test", "250")]
    [InlineData(2, "NOOP", "250")]
    [InlineData(2, "STARTTLS", "503")]
    [InlineData(2, "AUTH PLAIN", "503")]
    [InlineData(2, "QUIT", "221")]
    // Recipients (after a RCPT).
    [InlineData(3, "RCPT TO:<c@example.net>", "250")]
    [InlineData(3, "DATA", "354")]
    [InlineData(3, "DATA now", "501")]
    [InlineData(3, "MAIL FROM:<a@example.org>", "503")]
    [InlineData(3, "RSET", "250")]
    [InlineData(3, "NOOP", "250")]
    [InlineData(3, "VRFY bob", "252")]
    [InlineData(3, "QUIT", "221")]
    public async Task Answers_each_command_in_each_state(int state, string command, string code)
    {
        await using var client = await _server.ConnectAsync();
        Assert.StartsWith("220 ", await client.ReadReplyAsync());
        for (int i = 0; i < state; i++)
            Assert.StartsWith("250", await client.CommandAsync(Setup[i]));

        var reply = await client.CommandAsync(command);

        Assert.StartsWith(code + (code == "354" ? " " : ""), reply);
        // Every reply carries an enhanced status code (RFC 2034), except the greeting-style ones.
        if (code is not ("354" or "220") && !command.StartsWith("EHLO", StringComparison.Ordinal) && !command.StartsWith("HELO", StringComparison.Ordinal))
            Assert.Matches(@"^\d{3} [245]\.\d{1,3}\.\d{1,3} ", reply.Split('\n')[^1]);
    }

    [Fact]
    public async Task After_RSET_a_new_transaction_starts_clean()
    {
        await using var client = await _server.ConnectAsync();
        await client.HelloAsync();
        await client.CommandAsync("MAIL FROM:<a@example.org>");
        await client.CommandAsync("RCPT TO:<b@example.net>");
        Assert.StartsWith("250", await client.CommandAsync("RSET"));
        Assert.StartsWith("503", await client.CommandAsync("DATA"));
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<x@example.org>"));
    }

    [Fact]
    public async Task BDAT_in_the_wrong_state_is_refused_and_its_chunk_skipped()
    {
        await using var client = await _server.ConnectAsync();
        await client.HelloAsync();
        await client.SendAsync("BDAT 6 LAST\r\nNOOP\r\n");
        Assert.StartsWith("503 5.5.1", await client.ReadReplyAsync());
        // The six octets "NOOP\r\n" were chunk data, not a command.
        Assert.StartsWith("250", await client.CommandAsync("NOOP"));
        Assert.Empty(_server.Queued());
    }
}
