using System.Net;
using System.Text;
using MailerQ.Www.Core.Sessions;

namespace MailerQ.Www.Smtp.Tests;

/// <summary>STARTTLS, implicit TLS, AUTH, relay rules and the connection cap.</summary>
public sealed class SmtpSecurityTests
{
    private static readonly IPAddress Outside = IPAddress.Parse("127.0.0.2");
    private static readonly IReadOnlyList<IPNetwork> OnlyLocalhost = [IPNetwork.Parse("127.0.0.1/32")];

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task STARTTLS_upgrades_and_the_client_must_greet_again()
    {
        await using var server = SmtpTestServer.Start(o => o.Tls = TestCertificate.ServerOptions());
        await using var client = await server.ConnectAsync();
        var ehlo = await client.HelloAsync();
        Assert.Contains("250-STARTTLS", ehlo);
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<a@example.org>"));
        Assert.StartsWith("503", await client.CommandAsync("STARTTLS"));
        await client.CommandAsync("RSET");
        Assert.Equal("220 2.0.0 Ready to start TLS", await client.CommandAsync("STARTTLS"));
        await client.StartTlsAsync();
        Assert.NotNull(client.Tls);
        Assert.True(client.Tls!.IsAuthenticated);

        Assert.StartsWith("503 5.5.1 Send EHLO", await client.CommandAsync("MAIL FROM:<a@example.org>"));
        var secureEhlo = await client.CommandAsync("EHLO client.test");
        Assert.DoesNotContain("STARTTLS", secureEhlo);
        Assert.DoesNotContain("AUTH", secureEhlo); // no authenticator configured
        Assert.StartsWith("503 5.5.1 TLS already active", await client.CommandAsync("STARTTLS"));
        await client.CommandAsync("MAIL FROM:<a@example.org>");
        await client.CommandAsync("RCPT TO:<b@example.net>");
        await client.CommandAsync("DATA");
        Assert.StartsWith("250 2.0.0 Ok: queued as", await client.CommandAsync("secure\r\n."));
        var (message, _) = Assert.Single(server.Queued());
        Assert.True(message.Secure);
        Assert.NotNull(server.Options.Sessions.Latest(1)[0].Cipher);
    }

    [Fact]
    public async Task Plaintext_pipelined_after_STARTTLS_is_discarded()
    {
        await using var server = SmtpTestServer.Start(o => o.Tls = TestCertificate.ServerOptions());
        await using var client = await server.ConnectAsync();
        await client.HelloAsync();
        // CVE-2011-0411: commands injected after STARTTLS in the same packet must not run inside TLS.
        await client.SendAsync("STARTTLS\r\nMAIL FROM:<injected@example.org>\r\n");
        Assert.StartsWith("220", await client.ReadReplyAsync());
        await client.StartTlsAsync();
        Assert.StartsWith("250", await client.CommandAsync("EHLO client.test"));
        Assert.StartsWith("250", await client.CommandAsync("MAIL FROM:<a@example.org>"));
    }

    [Fact]
    public async Task Implicit_TLS_port_speaks_TLS_first()
    {
        await using var server = SmtpTestServer.Start(o => o.Tls = TestCertificate.ServerOptions(), implicitTls: true);
        await using var client = await server.ConnectAsync();
        await client.StartTlsAsync();
        var ehlo = await client.HelloAsync();
        Assert.DoesNotContain("STARTTLS", ehlo);
    }

    [Fact]
    public async Task AUTH_is_offered_only_after_TLS_and_lets_an_outside_client_relay()
    {
        var auth = new TestDoubleAuthenticator("alice", "s3cret");
        await using var server = SmtpTestServer.Start(o =>
        {
            o.Tls = TestCertificate.ServerOptions();
            o.Authenticator = auth;
            o.TrustedNetworks = OnlyLocalhost;
            o.RelayNetworks = OnlyLocalhost;
        });
        await using var client = await server.ConnectAsync(Outside);
        var plainEhlo = await client.HelloAsync();
        Assert.DoesNotContain("AUTH", plainEhlo);
        Assert.StartsWith("530 5.7.0 Must issue a STARTTLS", await client.CommandAsync("AUTH PLAIN " + Base64("\0alice\0s3cret")));
        await client.CommandAsync("MAIL FROM:<a@example.org>");
        Assert.StartsWith("530 5.7.0 Authentication required", await client.CommandAsync("RCPT TO:<b@example.net>"));
        await client.CommandAsync("RSET");

        await client.CommandAsync("STARTTLS");
        await client.StartTlsAsync();
        Assert.Contains("250-AUTH PLAIN LOGIN", await client.CommandAsync("EHLO client.test"));
        Assert.Equal("535 5.7.8 Authentication credentials invalid", await client.CommandAsync("AUTH PLAIN " + Base64("\0alice\0wrong")));
        Assert.Equal("334 ", await client.CommandAsync("AUTH PLAIN"));
        Assert.Equal("235 2.7.0 Authentication successful", await client.CommandAsync(Base64("\0alice\0s3cret")));
        Assert.StartsWith("503", await client.CommandAsync("AUTH PLAIN " + Base64("\0alice\0s3cret")));

        await client.CommandAsync("MAIL FROM:<a@example.org>");
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<b@example.net>"));
        await client.CommandAsync("DATA");
        Assert.StartsWith("250 2.0.0 Ok: queued as", await client.CommandAsync("authenticated\r\n."));
        var (message, _) = Assert.Single(server.Queued());
        Assert.Equal("alice", message.User);
        Assert.Equal(Outside, auth.Calls[^1].Remote.Address);
        // Credentials never reach the transcript.
        Assert.DoesNotContain(server.Options.Sessions.Latest(1)[0].Transcript, l => l.Line.Contains(Base64("\0alice\0s3cret"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task AUTH_LOGIN_works_and_three_failures_close_the_session()
    {
        var auth = new TestDoubleAuthenticator("bob", "pw");
        await using var server = SmtpTestServer.Start(o =>
        {
            o.Tls = TestCertificate.ServerOptions();
            o.Authenticator = auth;
        });
        await using (var client = await server.ConnectAsync())
        {
            await client.HelloAsync();
            await client.CommandAsync("STARTTLS");
            await client.StartTlsAsync();
            await client.CommandAsync("EHLO client.test");
            Assert.Equal("334 VXNlcm5hbWU6", await client.CommandAsync("AUTH LOGIN"));
            Assert.Equal("334 UGFzc3dvcmQ6", await client.CommandAsync(Base64("bob")));
            Assert.Equal("235 2.7.0 Authentication successful", await client.CommandAsync(Base64("pw")));
        }
        await using (var client = await server.ConnectAsync())
        {
            await client.HelloAsync();
            await client.CommandAsync("STARTTLS");
            await client.StartTlsAsync();
            await client.CommandAsync("EHLO client.test");
            Assert.Equal("334 UGFzc3dvcmQ6", await client.CommandAsync("AUTH LOGIN " + Base64("bob")));
            Assert.StartsWith("501 5.7.0 Authentication cancelled", await client.CommandAsync("*"));
            Assert.StartsWith("504", await client.CommandAsync("AUTH CRAM-MD5"));
            Assert.StartsWith("501 5.5.2", await client.CommandAsync("AUTH PLAIN !!!notbase64"));
            for (int i = 0; i < 2; i++)
                Assert.StartsWith("535", await client.CommandAsync("AUTH PLAIN " + Base64("\0bob\0no")));
            await client.SendAsync("AUTH PLAIN " + Base64("\0bob\0no") + "\r\n");
            Assert.StartsWith("535", await client.ReadReplyAsync());
            Assert.StartsWith("421", await client.ReadReplyAsync());
            Assert.True(await client.IsClosedAsync());
        }
    }

    [Fact]
    public async Task Refuses_to_relay_for_a_client_outside_smtp_range()
    {
        await using var server = SmtpTestServer.Start(o =>
        {
            o.TrustedNetworks = OnlyLocalhost;
            o.RelayNetworks = OnlyLocalhost;
            o.IsLocalRecipient = r => r.EndsWith("@local.test", StringComparison.Ordinal);
        });
        await using var client = await server.ConnectAsync(Outside);
        await client.HelloAsync();
        await client.CommandAsync("MAIL FROM:<a@example.org>");
        Assert.Equal("550 5.7.1 Relay access denied", await client.CommandAsync("RCPT TO:<b@example.net>"));
        // Mail for a local address is not relaying (MailerQ's locals).
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<postmaster@local.test>"));
        Assert.Equal(1, server.Options.Counters.Rejections(SmtpRejection.Relay));
    }

    [Fact]
    public async Task A_client_inside_smtp_range_may_relay()
    {
        await using var server = SmtpTestServer.Start(o =>
        {
            o.TrustedNetworks = OnlyLocalhost;
            o.RelayNetworks = [IPNetwork.Parse("127.0.0.2/32")];
        });
        await using var client = await server.ConnectAsync(Outside);
        await client.HelloAsync();
        await client.CommandAsync("MAIL FROM:<a@example.org>");
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<b@example.net>"));
    }

    [Fact]
    public async Task Loopback_may_always_relay_by_default()
    {
        await using var server = SmtpTestServer.Start(o => o.RelayNetworks = []);
        await using var client = await server.ConnectAsync(Outside);
        await client.HelloAsync();
        await client.CommandAsync("MAIL FROM:<a@example.org>");
        Assert.StartsWith("250", await client.CommandAsync("RCPT TO:<b@example.net>"));
    }

    [Fact]
    public async Task Connection_cap_is_exact_and_frees_slots()
    {
        await using var server = SmtpTestServer.Start(o => o.MaxConnections = 2);
        var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();
        Assert.StartsWith("220", await first.ReadReplyAsync());
        Assert.StartsWith("220", await second.ReadReplyAsync());
        await using (var third = await server.ConnectAsync())
        {
            Assert.Equal("421 4.7.0 mx.test Too many connections, try again later", await third.ReadReplyAsync());
            Assert.True(await third.IsClosedAsync());
        }
        Assert.Equal(2, server.Server.Limiter.Peak);
        await first.CommandAsync("QUIT");
        await first.DisposeAsync();
        for (int i = 0; i < 500 && server.Server.Limiter.Current > 1; i++)
            await Task.Delay(20);
        await using var fourth = await server.ConnectAsync();
        Assert.StartsWith("220", await fourth.ReadReplyAsync());
        Assert.Equal(1, server.Server.RejectedConnections);
    }

    [Fact]
    public async Task Trace_sees_every_byte_in_both_directions()
    {
        var trace = new RecordingTrace();
        await using var server = SmtpTestServer.Start(o => o.Trace = trace);
        await using var client = await server.ConnectAsync();
        await client.HelloAsync();
        await client.CommandAsync("QUIT");
        await client.IsClosedAsync();
        Assert.Equal("EHLO client.test\r\nQUIT\r\n", trace.Text(fromClient: true));
        string sent = trace.Text(fromClient: false);
        Assert.StartsWith("220 mx.test ESMTP MailerQ.Www\r\n250-mx.test\r\n", sent);
        Assert.EndsWith("221 2.0.0 Bye\r\n", sent);
    }

    private sealed class RecordingTrace : ISmtpTrace
    {
        private readonly List<(bool FromClient, byte[] Bytes)> _chunks = [];

        public bool IsEnabled => true;

        public void OnBytes(long sessionId, bool fromClient, System.Buffers.ReadOnlySequence<byte> bytes)
        {
            lock (_chunks) _chunks.Add((fromClient, System.Buffers.BuffersExtensions.ToArray(bytes)));
        }

        public string Text(bool fromClient)
        {
            lock (_chunks)
                return string.Concat(_chunks.Where(c => c.FromClient == fromClient).Select(c => Encoding.ASCII.GetString(c.Bytes)));
        }
    }
}
