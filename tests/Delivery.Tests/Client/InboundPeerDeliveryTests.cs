using System.Net;
using System.Text;
using MailerQ.Www.Smtp.Client;
using MailerQ.Www.Smtp.Delivery;
using static MailerQ.Www.Delivery.Tests.Client.ClientTestSupport;

namespace MailerQ.Www.Delivery.Tests.Client;

/// <summary>The client against a second instance of our own inbound server: STARTTLS, DSN, SIZE, byte fidelity, trace.</summary>
public sealed class InboundPeerDeliveryTests
{
    [Fact]
    public async Task Required_TLS_delivers_over_STARTTLS_and_reports_the_cipher()
    {
        await using var peer = InboundPeer.Start(o => o.Tls = TestCa.ServerOptions("signed"));
        await using var connection = await ConnectAsync(peer.EndPoint, Options(o => o.Security = DeliverySecurity.Required));

        var result = await connection.SendAsync(Envelope(), Mime, CancellationToken.None);

        Assert.True(result.IsSuccess, result.ToString());
        var cipher = Assert.IsType<TlsSummary>(result.Cipher);
        Assert.Same(connection.Tls, cipher);
        Assert.StartsWith("TLS_", cipher.Name, StringComparison.Ordinal);
        Assert.True(cipher.Bits >= 128);
        Assert.Equal("TLSv1.3", cipher.Version);
        // No CertificateValidation hook: the system store does not know the test CA, and "required" does not care.
        Assert.False(cipher.Verified);
        var (message, _) = Assert.Single(peer.Queued());
        Assert.True(message.Secure);
    }

    [Fact]
    public async Task Verified_TLS_succeeds_with_a_certificate_that_chains_to_the_trusted_CA_and_names_the_host()
    {
        await using var peer = InboundPeer.Start(o => o.Tls = TestCa.ServerOptions("signed"));
        await using var connection = await ConnectAsync(peer.EndPoint, Options(o =>
        {
            o.Security = DeliverySecurity.Verified;
            o.CertificateValidation = TestCa.SmtpClientOptionsTrust;
        }), host: "mx.test");

        var result = await connection.SendAsync(Envelope(), Mime, CancellationToken.None);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.True(result.Cipher!.Verified);
    }

    [Theory]
    [InlineData("self", "mx.test")]
    [InlineData("signed", "other.test")]
    public async Task Verified_TLS_fails_for_good_at_starttls_with_an_untrusted_certificate_or_another_name(string certificate, string host)
    {
        await using var peer = InboundPeer.Start(o => o.Tls = TestCa.ServerOptions(certificate));

        var (connection, failure) = await SmtpClientConnection.ConnectAsync(peer.EndPoint, host, Options(o =>
        {
            o.Security = DeliverySecurity.Verified;
            o.CertificateValidation = TestCa.SmtpClientOptionsTrust;
        }), CancellationToken.None);

        Assert.Null(connection);
        Assert.Equal(DeliveryStates.StartTls, failure!.State);
        Assert.Equal(DeliveryResults.Error, failure.Result);
        Assert.True(failure.Fatal);
        Assert.Contains("certificate", failure.Description, StringComparison.Ordinal);
        Assert.Equal("mx.test", failure.Mta);
        Assert.Empty(peer.Queued());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Required_TLS_against_a_peer_without_STARTTLS_fails_for_good_at_starttls(bool verified)
    {
        var security = verified ? DeliverySecurity.Verified : DeliverySecurity.Required;
        await using var peer = InboundPeer.Start();

        var (connection, failure) = await SmtpClientConnection.ConnectAsync(peer.EndPoint, "mx.test", Options(o => o.Security = security), CancellationToken.None);

        Assert.Null(connection);
        Assert.Equal(DeliveryStates.StartTls, failure!.State);
        Assert.Equal(DeliveryResults.Error, failure.Result);
        Assert.True(failure.Fatal);
        Assert.True(failure.IsPermanent);
    }

    [Fact]
    public async Task Optional_TLS_sends_in_plain_text_when_the_peer_offers_no_STARTTLS()
    {
        await using var peer = InboundPeer.Start();
        await using var connection = await ConnectAsync(peer.EndPoint, Options(o => o.Security = DeliverySecurity.Optional));

        var result = await connection.SendAsync(Envelope(), Mime, CancellationToken.None);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Null(result.Cipher);
    }

    [Fact]
    public async Task Optional_TLS_reconnects_in_plain_text_when_the_handshake_fails()
    {
        // The peer offers STARTTLS but cannot complete a handshake (its TLS setup throws).
        await using var peer = InboundPeer.Start(o => o.Tls = () => throw new InvalidOperationException("no TLS today"));
        var trace = new CapturingTrace();
        await using var connection = await ConnectAsync(peer.EndPoint, Options(o =>
        {
            o.Security = DeliverySecurity.Optional;
            o.Trace = trace;
        }));

        var result = await connection.SendAsync(Envelope(), Mime, CancellationToken.None);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Null(result.Cipher);
        Assert.False(Assert.Single(peer.Queued()).Message.Secure);
        // Two connections: the failed TLS one and the plain one that carried the message.
        var sessions = trace.Sessions();
        Assert.Equal(2, sessions.Length);
        Assert.Contains("STARTTLS\r\n", Text(trace.Bytes(sessions[0], fromClient: true)), StringComparison.Ordinal);
        Assert.DoesNotContain("STARTTLS", Text(trace.Bytes(connection.Id, fromClient: true)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Opportunistic_TLS_makes_a_failed_handshake_a_temporary_error()
    {
        await using var peer = InboundPeer.Start(o => o.Tls = () => throw new InvalidOperationException("no TLS today"));

        var (connection, failure) = await SmtpClientConnection.ConnectAsync(peer.EndPoint, "mx.test",
            Options(o => o.Security = DeliverySecurity.Opportunistic), CancellationToken.None);

        Assert.Null(connection);
        Assert.Equal(DeliveryStates.StartTls, failure!.State);
        Assert.False(failure.Fatal);
        Assert.False(failure.IsPermanent);
    }

    [Fact]
    public async Task Opportunistic_TLS_accepts_an_untrusted_certificate()
    {
        await using var peer = InboundPeer.Start(o => o.Tls = TestCa.ServerOptions("self"));
        await using var connection = await ConnectAsync(peer.EndPoint, Options(o => o.Security = DeliverySecurity.Opportunistic));

        var result = await connection.SendAsync(Envelope(), Mime, CancellationToken.None);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.False(result.Cipher!.Verified);
    }

    [Fact]
    public async Task DSN_parameters_arrive_at_the_peer()
    {
        await using var peer = InboundPeer.Start();
        await using var connection = await ConnectAsync(peer.EndPoint, Options());
        var envelope = Envelope() with { Dsn = new DsnRequest("success,FAILURE", "hdrs", "rfc822;orig+x@example.org", "env id=1") };

        var result = await connection.SendAsync(envelope, Mime, CancellationToken.None);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.True(result.Dsn);
        var (message, _) = Assert.Single(peer.Queued());
        Assert.Equal("HDRS", message.Ret);
        Assert.Equal("env+20id+3D1", message.EnvId);
        var recipient = Assert.Single(message.Recipients);
        Assert.Equal("SUCCESS,FAILURE", recipient.Notify);
        Assert.Equal("rfc822;orig+2Bx@example.org", recipient.OriginalRecipient);
    }

    [Fact]
    public async Task DSN_parameters_are_left_out_when_the_peer_does_not_advertise_DSN()
    {
        await using var peer = InboundPeer.Start(o => o.AdvertiseDsn = false);
        await using var connection = await ConnectAsync(peer.EndPoint, Options());

        var result = await connection.SendAsync(Envelope() with { Dsn = new DsnRequest("NEVER", "FULL", null, "x") }, Mime, CancellationToken.None);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.False(result.Dsn);
        var (message, _) = Assert.Single(peer.Queued());
        Assert.Null(message.Ret);
        Assert.Null(Assert.Single(message.Recipients).Notify);
    }

    [Fact]
    public async Task Message_bytes_arrive_identical_after_dot_stuffing()
    {
        await using var peer = InboundPeer.Start();
        await using var connection = await ConnectAsync(peer.EndPoint, Options());
        var body = new StringBuilder("From: a@example.org\r\nTo: b@example.net\r\nSubject: dots\r\n\r\n");
        body.Append(".\r\n..\r\n.hidden\r\n. space\r\n\r\n.\r\n");
        for (int i = 0; i < 5000; i++)
            body.Append(i % 7 == 0 ? "." : "").Append("line ").Append(i).Append(" ").Append('x', i % 90).Append("\r\n");
        body.Append(".\r\n");
        var mime = Encoding.ASCII.GetBytes(body.ToString());

        var result = await connection.SendAsync(Envelope(), mime, CancellationToken.None);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(mime, Assert.Single(peer.Queued()).Mime);
    }

    [Fact]
    public async Task Bare_line_feeds_arrive_as_CRLF_and_a_missing_final_line_end_is_added()
    {
        await using var peer = InboundPeer.Start();
        await using var connection = await ConnectAsync(peer.EndPoint, Options());

        var result = await connection.SendAsync(Envelope(), "Subject: lf\n\n.first\nsecond"u8.ToArray(), CancellationToken.None);

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal("Subject: lf\r\n\r\n.first\r\nsecond\r\n", Text(Assert.Single(peer.Queued()).Mime));
    }

    [Fact]
    public async Task Eight_bit_and_UTF8_messages_use_BODY_and_SMTPUTF8_when_offered()
    {
        await using var peer = InboundPeer.Start();
        await using var connection = await ConnectAsync(peer.EndPoint, Options());
        var mime = Encoding.UTF8.GetBytes("Subject: Grüße\r\n\r\nÄpfel\r\n");

        var result = await connection.SendAsync(new OutgoingEnvelope("absender@example.org", "empfänger@example.net", EightBit: true), mime, CancellationToken.None);

        Assert.True(result.IsSuccess, result.ToString());
        var (message, received) = Assert.Single(peer.Queued());
        Assert.True(message.EightBitMime);
        Assert.True(message.SmtpUtf8);
        Assert.Equal("empfänger@example.net", Assert.Single(message.Recipients).Address);
        Assert.Equal(mime, received);
    }

    [Fact]
    public async Task A_message_over_the_peer_SIZE_is_refused_locally_and_the_connection_stays_usable()
    {
        await using var peer = InboundPeer.Start(o => o.MaxMessageSize = 100);
        var trace = new CapturingTrace();
        await using var connection = await ConnectAsync(peer.EndPoint, Options(o => o.Trace = trace));

        var result = await connection.SendAsync(Envelope(), new byte[500], CancellationToken.None);

        Assert.Equal(DeliveryStates.MailFrom, result.State);
        Assert.Equal(552, result.Code);
        Assert.Equal("5.3.4", result.Status);
        Assert.True(result.Fatal);
        Assert.Contains("SIZE", result.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("MAIL FROM", Text(trace.Bytes(connection.Id, fromClient: true)), StringComparison.Ordinal);

        var small = await connection.SendAsync(Envelope(), "Subject: s\r\n\r\nok\r\n"u8.ToArray(), CancellationToken.None);
        Assert.True(small.IsSuccess, small.ToString());
        Assert.Contains(" SIZE=18\r\n", Text(trace.Bytes(connection.Id, fromClient: true)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_recipient_in_a_pipelined_group_is_reported_and_the_next_message_follows_RSET()
    {
        // Loopback relays by default; with trust narrowed to 127.0.0.1, a client bound to 127.0.0.2 may only
        // send to local recipients, so the other one is refused at RCPT (while MAIL and DATA were pipelined).
        await using var peer = InboundPeer.Start(o =>
        {
            o.TrustedNetworks = [IPNetwork.Parse("127.0.0.1/32")];
            o.RelayNetworks = [];
            o.IsLocalRecipient = r => r.EndsWith("@mx.test", StringComparison.Ordinal);
        });
        var trace = new CapturingTrace();
        await using var connection = await ConnectAsync(peer.EndPoint, Options(o =>
        {
            o.LocalAddress = IPAddress.Parse("127.0.0.2");
            o.Trace = trace;
        }));
        Assert.Equal(IPAddress.Parse("127.0.0.2"), connection.Local.Address);

        var refused = await connection.SendAsync(Envelope("someone@elsewhere.example"), Mime, CancellationToken.None);
        Assert.Equal(DeliveryStates.RcptTo, refused.State);
        Assert.Equal(550, refused.Code);
        Assert.Equal("5.7.1", refused.Status);
        Assert.Equal("127.0.0.2", refused.From);
        Assert.True(connection.IsUsable);

        var accepted = await connection.SendAsync(Envelope("postmaster@mx.test"), Mime, CancellationToken.None);
        Assert.True(accepted.IsSuccess, accepted.ToString());
        Assert.Equal(2, accepted.Messages);
        var group = Assert.Single(trace.Chunks(), c => c.FromClient && Text(c.Bytes).StartsWith("RSET", StringComparison.Ordinal));
        Assert.Equal("RSET\r\nMAIL FROM:<sender@example.org> SIZE=" + Mime.Length + "\r\nRCPT TO:<postmaster@mx.test>\r\nDATA\r\n", Text(group.Bytes));
        Assert.Equal("postmaster@mx.test", Assert.Single(Assert.Single(peer.Queued()).Message.Recipients).Address);
    }

    [Fact]
    public async Task The_trace_sees_every_byte_both_ways_as_the_peer_does()
    {
        // Both ends trace into one capture: what our client wrote must be exactly what the server read, and back.
        var trace = new CapturingTrace();
        await using var peer = InboundPeer.Start(o =>
        {
            o.Tls = TestCa.ServerOptions("signed");
            o.Trace = trace;
        });
        var connection = await ConnectAsync(peer.EndPoint, Options(o =>
        {
            o.Security = DeliverySecurity.Required;
            o.Trace = trace;
        }));
        Assert.True((await connection.SendAsync(Envelope(), Mime, CancellationToken.None)).IsSuccess);
        Assert.True((await connection.SendAsync(Envelope(), Mime, CancellationToken.None)).IsSuccess);
        await connection.QuitAsync(CancellationToken.None);

        long client = connection.Id;
        long server = Assert.Single(trace.Sessions(), id => id != client);
        // Wait until the server has traced the QUIT reply it wrote.
        for (int i = 0; i < 200 && !Text(trace.Bytes(server, fromClient: false)).EndsWith("221 2.0.0 Bye\r\n", StringComparison.Ordinal); i++)
            await Task.Delay(10);

        var sent = trace.Bytes(client, fromClient: true);
        var received = trace.Bytes(client, fromClient: false);
        Assert.Equal(sent, trace.Bytes(server, fromClient: true));
        Assert.Equal(received, trace.Bytes(server, fromClient: false));
        string wire = Text(sent);
        Assert.StartsWith("EHLO client.test\r\nSTARTTLS\r\nEHLO client.test\r\nMAIL FROM:", wire, StringComparison.Ordinal);
        Assert.Contains("\r\n..leading dot\r\n", wire, StringComparison.Ordinal);
        Assert.EndsWith("\r\n.\r\nQUIT\r\n", wire, StringComparison.Ordinal);
        Assert.StartsWith("220 mx.test ESMTP", Text(received), StringComparison.Ordinal);
    }
}
