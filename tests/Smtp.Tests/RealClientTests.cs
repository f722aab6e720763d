using System.Text;

namespace MailerQ.Www.Smtp.Tests;

/// <summary>Debian's swaks and Postfix's smtp-source against the server (tests/deps/smtp.txt).</summary>
public sealed class RealClientTests
{
    private static string[] Swaks(int port, params string[] extra) =>
        ["--server", $"127.0.0.1:{port}", "--from", "alice@example.org", "--to", "bob@example.net", "--helo", "swaks.test", "--timeout", "20", .. extra];

    [Fact]
    public async Task Swaks_sends_a_message()
    {
        await using var server = SmtpTestServer.Start();
        var (exit, output) = await ExternalProcess.RunAsync("swaks", Swaks(server.Port, "--header", "Subject: from swaks"));
        Assert.True(exit == 0, output);
        Assert.Matches("<-  250 2.0.0 Ok: queued as [0-9a-f]{32}", output);
        var (message, mime) = Assert.Single(server.Queued());
        Assert.Equal("alice@example.org", message.Envelope);
        Assert.Contains("Subject: from swaks", Encoding.ASCII.GetString(mime));
    }

    [Fact]
    public async Task Swaks_pipelines()
    {
        await using var server = SmtpTestServer.Start();
        var (exit, output) = await ExternalProcess.RunAsync("swaks", Swaks(server.Port, "--pipeline", "--to", "bob@example.net,carol@example.net"));
        Assert.True(exit == 0, output);
        Assert.Contains("250 2.0.0 Ok: queued as", output);
        Assert.Equal(2, Assert.Single(server.Queued()).Message.Recipients.Count);
    }

    [Fact]
    public async Task Swaks_uses_STARTTLS_and_AUTH()
    {
        await using var server = SmtpTestServer.Start(o =>
        {
            o.Tls = TestCertificate.ServerOptions();
            o.Authenticator = new TestDoubleAuthenticator("alice", "s3cret");
        });
        var (exit, output) = await ExternalProcess.RunAsync("swaks", Swaks(server.Port, "--tls", "--auth", "PLAIN", "--auth-user", "alice", "--auth-password", "s3cret"));
        Assert.True(exit == 0, output);
        Assert.Contains("TLS started", output);
        Assert.Contains("235 2.7.0 Authentication successful", output);
        var (message, _) = Assert.Single(server.Queued());
        Assert.True(message.Secure);
        Assert.Equal("alice", message.User);
    }

    [Fact]
    public async Task Smtp_source_queues_1000_messages_over_10_sessions_none_duplicated()
    {
        await using var server = SmtpTestServer.Start();
        var (exit, output) = await ExternalProcess.RunAsync("/usr/sbin/smtp-source",
            ["-s", "10", "-m", "1000", "-f", "from@example.org", "-t", "to@example.net", $"127.0.0.1:{server.Port}"], TimeSpan.FromMinutes(3));
        Assert.True(exit == 0, output);
        var ids = server.Queue.List(server.Queue.InboxQueue).ToList();
        Assert.Equal(1000, ids.Count);
        Assert.Equal(1000, ids.Distinct().Count());
        Assert.Equal(1000, server.Options.Counters.Messages);
        Assert.Empty(Directory.GetFiles(server.Queue.TempDirectory));
    }
}
