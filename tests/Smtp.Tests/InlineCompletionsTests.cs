using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailerQ.Www.Smtp.Tests;

/// <summary>
/// Plain-text sessions run on the socket engine's epoll thread (<see cref="InlineCompletions"/>): the same
/// conversations must come out of it, and nothing a session waits for may hold up the others.
/// </summary>
public sealed class InlineCompletionsTests
{
    [Fact]
    public void This_runtime_still_lets_a_socket_complete_inline()
    {
        // If a runtime update drops the setter, sessions silently fall back to the pool and inbound SMTP needs a
        // third more CPU per message (docs/perf.md): this is where we find out.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.True(InlineCompletions.TrySet(socket, true));
        Assert.True(InlineCompletions.TrySet(socket, false));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_small_a_spooled_and_a_pipelined_message_arrive_whole_either_way(bool inline)
    {
        await using var server = SmtpTestServer.Start(o => o.InlineCompletions = inline);
        await using var client = await server.ConnectAsync();
        Assert.StartsWith("220", await client.ReadReplyAsync());
        Assert.StartsWith("250", await client.CommandAsync("EHLO client.test"));

        await client.CommandAsync("MAIL FROM:<a@example.org>");
        await client.CommandAsync("RCPT TO:<b@example.net>");
        await client.CommandAsync("DATA");
        Assert.StartsWith("250 2.0.0 Ok: queued as", await client.CommandAsync("Subject: small\r\n\r\nsmall\r\n."));

        // Larger than a session keeps in memory: spooled to a file as it arrives (the session leaves the epoll thread).
        string line = new('x', 998);
        var big = new StringBuilder("Subject: big\r\n\r\n");
        for (int i = 0; i < 200; i++)
            big.Append(line).Append("\r\n");
        await client.CommandAsync("MAIL FROM:<a@example.org>");
        await client.CommandAsync("RCPT TO:<b@example.net>");
        await client.CommandAsync("DATA");
        Assert.StartsWith("250 2.0.0 Ok: queued as", await client.CommandAsync(big + "."));

        // And the same connection goes on working afterwards, pipelined.
        await client.SendAsync("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\nDATA\r\n");
        Assert.StartsWith("250", await client.ReadReplyAsync());
        Assert.StartsWith("250", await client.ReadReplyAsync());
        Assert.StartsWith("354", await client.ReadReplyAsync());
        Assert.StartsWith("250 2.0.0 Ok: queued as", await client.CommandAsync("Subject: after\r\n\r\nafter\r\n."));
        Assert.StartsWith("221", await client.CommandAsync("QUIT"));

        var bodies = server.Queued().Select(q => Encoding.ASCII.GetString(q.Mime)).ToList();
        Assert.Equal(3, bodies.Count);
        Assert.Contains("Subject: small\r\n\r\nsmall\r\n", bodies);
        Assert.Contains(big.ToString(), bodies);
        Assert.Contains("Subject: after\r\n\r\nafter\r\n", bodies);
    }

    [Fact]
    public async Task An_auth_backend_that_blocks_its_thread_does_not_hold_up_plain_sessions()
    {
        using var release = new ManualResetEventSlim();
        var auth = new BlockingAuthenticator(release);
        await using var server = SmtpTestServer.Start(o =>
        {
            o.Tls = TestCertificate.ServerOptions();
            o.Authenticator = auth;
        });
        await using var authenticating = await server.ConnectAsync();
        await authenticating.ReadReplyAsync();
        await authenticating.CommandAsync("EHLO client.test");
        await authenticating.CommandAsync("STARTTLS");
        await authenticating.StartTlsAsync();
        await authenticating.CommandAsync("EHLO client.test");
        await authenticating.SendAsync("AUTH PLAIN " + Convert.ToBase64String("\0alice\0s3cret"u8) + "\r\n");
        Assert.True(auth.Entered.Wait(TimeSpan.FromSeconds(10)));
        try
        {
            // The backend holds a thread hostage; a plain session must still get through a whole transaction.
            await using var plain = await server.ConnectAsync();
            Assert.StartsWith("220", await plain.ReadReplyAsync());
            await plain.CommandAsync("EHLO other.test");
            await plain.CommandAsync("MAIL FROM:<a@example.org>");
            await plain.CommandAsync("RCPT TO:<b@example.net>");
            await plain.CommandAsync("DATA");
            Assert.StartsWith("250 2.0.0 Ok: queued as", await plain.CommandAsync("while AUTH blocks\r\n."));
        }
        finally
        {
            release.Set();
        }
        Assert.Equal("235 2.7.0 Authentication successful", await authenticating.ReadReplyAsync());
    }

    /// <summary>An authenticator written the wrong way: it blocks the calling thread until released.</summary>
    private sealed class BlockingAuthenticator(ManualResetEventSlim release) : ISmtpAuthenticator
    {
        public ManualResetEventSlim Entered { get; } = new();

        public ValueTask<bool> AuthenticateAsync(string userName, string password, IPEndPoint remote, CancellationToken ct)
        {
            Entered.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            return ValueTask.FromResult(userName == "alice" && password == "s3cret");
        }
    }
}
