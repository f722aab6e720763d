using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using MailerQ.Www.Smtp.Queue;

namespace MailerQ.Www.Smtp.Tests.Queue;

public sealed class InboundJsonTests
{
    private static JsonElement Write(InboundMessage message, byte[] mime, int recipient = 0)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            InboundJson.WriteRecipient(writer, message, recipient, mime);
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
    }

    private static InboundMessage Message(IReadOnlyList<KeyValuePair<string, string>>? extracted = null) => new()
    {
        Id = MessageIds.New(),
        Envelope = "a@example.org",
        Recipients = [new InboundRecipient("b@example.net", null, null), new InboundRecipient("c@example.net", "NEVER", null)],
        Received = new DateTimeOffset(2026, 6, 1, 12, 30, 5, TimeSpan.FromHours(2)),
        HostName = "mx.test",
        Local = new IPEndPoint(IPAddress.Parse("::ffff:127.0.0.1"), 25),
        Remote = new IPEndPoint(IPAddress.IPv6Loopback, 40000),
        Secure = true,
        User = "alice",
        Extracted = extracted ?? [],
    };

    [Fact]
    public void Writes_one_object_per_recipient_with_MailerQs_field_names()
    {
        var message = Message();
        var first = Write(message, "x"u8.ToArray());
        var second = Write(message, "x"u8.ToArray(), 1);

        Assert.Equal("b@example.net", first.GetProperty("recipient").GetString());
        Assert.Equal("c@example.net", second.GetProperty("recipient").GetString());
        Assert.Equal(message.Id, second.GetProperty("message-id").GetString());
        Assert.Equal("2026-06-01 10:30:05", first.GetProperty("received").GetString());
        var connection = first.GetProperty("connection");
        Assert.Equal("127.0.0.1", connection.GetProperty("local-ip").GetString());
        Assert.Equal(25, connection.GetProperty("local-port").GetInt32());
        Assert.Equal("::1", connection.GetProperty("remote-ip").GetString());
        Assert.True(connection.GetProperty("secure").GetBoolean());
        Assert.Equal("alice", connection.GetProperty("user").GetString());
        Assert.False(first.TryGetProperty("dsn", out _));
        Assert.Equal("NEVER", second.GetProperty("dsn").GetProperty("notify").GetString());
    }

    [Fact]
    public void Eight_bit_mail_that_is_not_UTF8_keeps_every_octet()
    {
        byte[] latin1 = [(byte)'c', 0xE9, (byte)'\r', (byte)'\n'];
        var json = Write(Message(), latin1);
        Assert.Equal(latin1, Encoding.Latin1.GetBytes(json.GetProperty("mime").GetString()!));
    }

    [Fact]
    public void X_mq_headers_become_properties_and_x_mq_envelope_overrides_the_sender()
    {
        var extracted = MqHeaderExtractor.Extract(Encoding.ASCII.GetBytes(
            "X-MQ-Envelope: bounces@example.org\r\nx-mq-ip: 192.0.2.1, 192.0.2.2\r\nx-mq-retries: 60,120\r\n" +
            "x-mq-keepmime: true\r\nx-mq-dsn-notify: FAILURE\r\nx-mq-smarthost-hostname: relay.example\r\nx-mq-smarthost-port: 2525\r\n" +
            "x-mq-results-queue: my-results\r\nx-mq-tag: a,\r\n b\r\nSubject: s\r\n\r\nx-mq-tag: not-a-header\r\n"));
        var json = Write(Message(extracted), "x"u8.ToArray());

        Assert.Equal("bounces@example.org", json.GetProperty("envelope").GetString());
        Assert.Equal(["192.0.2.1", "192.0.2.2"], json.GetProperty("ips").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([60, 120], json.GetProperty("retries").EnumerateArray().Select(e => e.GetInt32()));
        Assert.True(json.GetProperty("keepmime").GetBoolean());
        Assert.Equal("FAILURE", json.GetProperty("dsn").GetProperty("notify").GetString());
        Assert.Equal("relay.example", json.GetProperty("smarthost").GetProperty("hostname").GetString());
        Assert.Equal(2525, json.GetProperty("smarthost").GetProperty("port").GetInt32());
        Assert.Equal("my-results", json.GetProperty("queues").GetProperty("results").GetString());
        // Folded header (RFC 5322 2.2.3); the body's look-alike is not a header.
        Assert.Equal(["a", "b"], json.GetProperty("tags").EnumerateArray().Select(e => e.GetString()));
    }
}
