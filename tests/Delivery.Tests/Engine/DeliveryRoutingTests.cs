using System.Net;
using System.Text;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Delivery.Tests.Dkim;
using MailerQ.Www.Delivery.Tests.Fixtures;
using MailerQ.Www.Smtp.Dkim;
using MailerQ.Www.Smtp.Dns;
using MailerQ.Www.Smtp.Tests;
using MimeKit;
using MimeKit.Cryptography;
using MailerQ.Www.Core.Dkim;

namespace MailerQ.Www.Delivery.Tests.Engine;

public sealed class DeliveryRoutingTests
{
    [Fact]
    public async Task Mail_follows_the_MX_records_and_skips_a_mail_server_that_does_not_answer()
    {
        await using var peer = SmtpTestServer.Start();
        // mx1 (preference 5) is an address where nothing listens; mx2 (10) is the peer.
        await using var dns = await UnboundServer.StartAsync(
        [
            "local-zone: \"routed.test.\" static",
            "local-data: \"routed.test. 3600 IN SOA ns.routed.test. h.routed.test. 1 3600 600 86400 120\"",
            "local-data: \"routed.test. 300 IN MX 5 mx1.routed.test.\"",
            "local-data: \"routed.test. 300 IN MX 10 mx2.routed.test.\"",
            "local-data: \"mx1.routed.test. 300 IN A 127.0.0.9\"",
            "local-data: \"mx2.routed.test. 300 IN A 127.0.0.1\"",
        ]);
        await using var mta = await DeliveryHarness.StartAsync(null, dns: new DnsOptions { Servers = [dns.EndPoint] }, mxPort: peer.Port);

        await mta.InjectAsync("user@routed.test");
        var success = await mta.WaitForAsync("success", 1);

        var result = (System.Text.Json.Nodes.JsonObject)((System.Text.Json.Nodes.JsonArray)success[0]["results"]!)[^1]!;
        Assert.Equal("127.0.0.1", (string?)result["to"]);
        Assert.Single(peer.Queued());
    }

    [Fact]
    public async Task A_domain_without_mail_servers_fails_in_the_dns_state()
    {
        await using var dns = await UnboundServer.StartAsync(
        [
            "local-zone: \"gone.test.\" static",
            "local-data: \"gone.test. 3600 IN SOA ns.gone.test. h.gone.test. 1 3600 600 86400 120\"",
        ]);
        await using var mta = await DeliveryHarness.StartAsync(null, dns: new DnsOptions { Servers = [dns.EndPoint] });

        await mta.InjectAsync("user@gone.test");
        var failure = await mta.WaitForAsync("failure", 1);

        var result = (System.Text.Json.Nodes.JsonObject)((System.Text.Json.Nodes.JsonArray)failure[0]["results"]!)[^1]!;
        Assert.Equal("dns", (string?)result["state"]);
        Assert.Equal(1, mta.Counters.Totals(default).NotTried);
    }

    [Fact]
    public async Task A_database_DKIM_key_signs_outgoing_mail_and_the_signature_verifies_at_the_receiver()
    {
        await using var peer = SmtpTestServer.Start();
        await using var mta = await DeliveryHarness.StartAsync(new IPEndPoint(IPAddress.Loopback, peer.Port));
        var key = DkimKeyMaterial.GenerateRsa();
        await mta.Settings.WriteAsync((s, ct) => s.AddDkimKeyAsync(new DkimKey { Domain = "example.com", Selector = "mq", PrivateKeyPem = key.PrivateKeyPem }, "test", ct));

        await mta.InjectAsync("rcpt@example.org", "\"headers\":{\"prepend\":{\"X-Campaign\":\"winter\"},\"remove\":\"Message-ID\"}");
        await mta.WaitForAsync("success", 1);

        var received = MimeMessage.Load(new MemoryStream(Assert.Single(peer.Queued()).Mime));
        Assert.Equal(HeaderId.DkimSignature, received.Headers[0].Id);
        var verifier = new DkimVerifier(new TxtRecordKeyLocator(new Dictionary<string, string> { ["mq._domainkey.example.com"] = key.DnsRecordText }));
        Assert.True(verifier.Verify(received, received.Headers[0], TestContext.Current.CancellationToken));
        Assert.Equal("winter", received.Headers["X-Campaign"]);
        Assert.Null(received.Headers["Message-ID"]);
    }

    [Fact]
    public async Task Header_edits_with_line_breaks_are_refused_as_invalid()
    {
        await using var peer = SmtpTestServer.Start();
        await using var mta = await DeliveryHarness.StartAsync(new IPEndPoint(IPAddress.Loopback, peer.Port));

        await mta.InjectAsync("rcpt@example.org", "\"headers\":{\"append\":{\"X-Evil\":\"a\\r\\nBcc: victim@example.net\"}}");
        var failure = await mta.WaitForAsync("failure", 1);

        var result = (System.Text.Json.Nodes.JsonObject)((System.Text.Json.Nodes.JsonArray)failure[0]["results"]!)[^1]!;
        Assert.Equal("invalid", (string?)result["result"]);
        Assert.DoesNotContain(peer.Queued(), q => q.Message.Recipients[0].Address == "rcpt@example.org");
    }

    [Fact]
    public async Task Outbound_connections_never_exceed_smtp_connections_out()
    {
        await using var peer = SmtpTestServer.Start();
        await using var mta = await DeliveryHarness.StartAsync(new IPEndPoint(IPAddress.Loopback, peer.Port), options: o => new()
        {
            Sink = o.Sink, HostName = o.HostName, MaxInFlight = o.MaxInFlight, ResumeInterval = o.ResumeInterval, MaxConnections = 1,
        });
        for (int i = 0; i < 12; i++)
            await mta.InjectAsync($"c{i}@domain{i % 4}.example");

        await mta.WaitForAsync("success", 12);

        // Counted on our side: the peer may still be closing the previous connection when the next one arrives.
        Assert.Equal(1, mta.Engine.PeakOutboundConnections);
        Assert.Equal(12, peer.Queued().Count);
    }
}
