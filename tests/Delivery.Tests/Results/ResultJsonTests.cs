using System.Text;
using System.Text.Json;
using MailerQ.Www.Smtp.Delivery;
using MailerQ.Www.Smtp.Delivery.Results;

namespace MailerQ.Www.Delivery.Tests.Results;

public sealed class ResultJsonTests
{
    private static JsonElement Parse(byte[] json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void Result_keeps_every_original_property_including_unknown_ones()
    {
        var message = TestMessages.Simple(",\"tags\":[\"newsletter\"],\"custom\":{\"campaign\":42,\"list\":[1,null,\"x\"]},\"x-weird\":null");
        ResultJson.Append(message, TestMessages.Success(TestMessages.Start));
        var root = Parse(ResultJson.Write(message, includeMime: false));

        Assert.Equal("alice@sender.example", root.GetProperty("envelope").GetString());
        Assert.Equal("bob@example.org", root.GetProperty("recipient").GetString());
        Assert.Equal("newsletter", root.GetProperty("tags")[0].GetString());
        Assert.Equal(42, root.GetProperty("custom").GetProperty("campaign").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("custom").GetProperty("list")[1].ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("x-weird").ValueKind);
        Assert.False(root.TryGetProperty("mime", out _));
    }

    [Fact]
    public void Successful_attempt_has_MailerQs_field_names_and_formats()
    {
        var message = TestMessages.Simple();
        ResultJson.Append(message, TestMessages.Success(TestMessages.Start));
        var attempt = Assert.Single(Parse(ResultJson.Write(message, includeMime: false)).GetProperty("results").EnumerateArray());

        Assert.Equal("message", attempt.GetProperty("state").GetString());
        Assert.Equal("accepted", attempt.GetProperty("result").GetString());
        Assert.Equal("2026-11-26 13:45:12", attempt.GetProperty("time").GetString());
        Assert.Equal("mx.example.org", attempt.GetProperty("mta").GetString());
        Assert.Equal("192.0.2.10", attempt.GetProperty("from").GetString());
        Assert.Equal("198.51.100.7", attempt.GetProperty("to").GetString());
        Assert.Equal(250, attempt.GetProperty("code").GetInt32());
        Assert.Equal("2.0.0", attempt.GetProperty("status").GetString());
        Assert.Equal("Ok: queued as 4F2", attempt.GetProperty("description").GetString());
        Assert.Equal(3, attempt.GetProperty("messages").GetInt32());
        Assert.Equal(4096, attempt.GetProperty("sent").GetProperty("connection").GetInt64());
        Assert.Equal(1234, attempt.GetProperty("sent").GetProperty("data").GetInt64());
        var cipher = attempt.GetProperty("cipher");
        Assert.Equal("TLS_AES_256_GCM_SHA384", cipher.GetProperty("name").GetString());
        Assert.Equal(256, cipher.GetProperty("bits").GetInt32());
        Assert.Equal("TLSv1.3", cipher.GetProperty("version").GetString());
        Assert.True(attempt.GetProperty("dsn").GetBoolean());
    }

    [Fact]
    public void Failed_attempt_has_no_dsn_flag_and_no_cipher_without_tls()
    {
        var message = TestMessages.Simple();
        ResultJson.Append(message, TestMessages.Permanent(TestMessages.Start));
        var attempt = Parse(ResultJson.Write(message, false)).GetProperty("results")[0];
        Assert.False(attempt.TryGetProperty("dsn", out _));
        Assert.False(attempt.TryGetProperty("cipher", out _));
        Assert.Equal(550, attempt.GetProperty("code").GetInt32());
        Assert.Equal("5.1.1", attempt.GetProperty("status").GetString());
    }

    [Fact]
    public void Attempt_before_any_connection_leaves_connection_fields_out()
    {
        var message = TestMessages.Simple();
        ResultJson.Append(message, new AttemptResult
        {
            State = DeliveryStates.Dns,
            Result = DeliveryResults.Error,
            Description = "no MX or A record",
            Time = TestMessages.Start,
        });
        var attempt = Parse(ResultJson.Write(message, false)).GetProperty("results")[0];
        Assert.Equal("dns", attempt.GetProperty("state").GetString());
        Assert.Equal(0, attempt.GetProperty("code").GetInt32());
        Assert.Equal("", attempt.GetProperty("status").GetString());
        Assert.False(attempt.TryGetProperty("mta", out _));
        Assert.False(attempt.TryGetProperty("to", out _));
        Assert.False(attempt.TryGetProperty("sent", out _));
    }

    [Fact]
    public void Results_list_every_attempt_in_order_across_a_requeue()
    {
        var message = TestMessages.Simple();
        ResultJson.Append(message, TestMessages.Temporary(TestMessages.Start));
        // Through the outbox and back, as a retry does.
        var again = TestMessages.Parse(Encoding.UTF8.GetString(ResultJson.WriteOutbox(message)));
        ResultJson.Append(again, TestMessages.Success(TestMessages.Start.AddMinutes(10)));
        var results = Parse(ResultJson.Write(again, false)).GetProperty("results");
        Assert.Equal(2, results.GetArrayLength());
        Assert.Equal("rcptto", results[0].GetProperty("state").GetString());
        Assert.Equal(451, results[0].GetProperty("code").GetInt32());
        Assert.Equal("2026-11-26 13:55:12", results[1].GetProperty("time").GetString());
    }

    [Fact]
    public void Extracted_reads_from_to_subject_and_headers_from_the_mime()
    {
        var message = TestMessages.Simple();
        var extracted = Parse(ResultJson.Write(message, false)).GetProperty("extracted");
        Assert.Equal("alice@sender.example", extracted.GetProperty("from").GetString());
        Assert.Equal(["bob@example.org", "carol@example.org"], extracted.GetProperty("to").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("Quarterly report", extracted.GetProperty("subject").GetString());
        var headers = extracted.GetProperty("headers");
        Assert.Equal("Quarterly report", headers.GetProperty("Subject").GetString());
        Assert.Equal(["from a", "from b"], headers.GetProperty("Received").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("sender.example", extracted.GetProperty("envelope").GetProperty("domain").GetString());
        Assert.Equal("alice", extracted.GetProperty("envelope").GetProperty("local").GetString());
        Assert.Equal("example.org", extracted.GetProperty("recipient").GetProperty("domain").GetString());
        Assert.Equal("bob", extracted.GetProperty("recipient").GetProperty("local").GetString());
    }

    [Fact]
    public void Extracted_decodes_encoded_words_and_tolerates_bare_line_feeds()
    {
        var message = TestMessages.Parse("{\"envelope\":\"\",\"recipient\":\"x@example.org\"}",
            "Subject: =?UTF-8?B?R3LDvMOfZQ==?=\nFrom: a@b.example\n\nbody\n");
        var extracted = Parse(ResultJson.Write(message, false)).GetProperty("extracted");
        Assert.Equal("Grüße", extracted.GetProperty("subject").GetString());
        Assert.Equal("a@b.example", extracted.GetProperty("from").GetString());
        Assert.Equal("", extracted.GetProperty("envelope").GetProperty("domain").GetString());
    }

    [Fact]
    public void Extracted_fields_are_null_when_the_message_has_no_mime_at_hand()
    {
        var message = TestMessages.Parse("{\"envelope\":\"a@b.example\",\"recipient\":\"x@example.org\",\"key\":\"store-1\"}", mime: null);
        var extracted = Parse(ResultJson.Write(message, false)).GetProperty("extracted");
        Assert.Equal(JsonValueKind.Null, extracted.GetProperty("from").ValueKind);
        Assert.Equal(0, extracted.GetProperty("to").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, extracted.GetProperty("subject").ValueKind);
    }

    [Fact]
    public void Extracted_header_parsing_stops_at_the_header_size_limit()
    {
        string huge = "Subject: big\r\nX-Long: " + new string('a', 300_000) + "\r\n\r\nbody";
        var message = TestMessages.Parse("{\"envelope\":\"a@b.example\",\"recipient\":\"x@example.org\"}", huge);
        byte[] json = ResultJson.Write(message, false);
        Assert.True(json.Length < ExtractedFields.MaxHeaderBytes + 4096);
        Assert.Equal("big", Parse(json).GetProperty("extracted").GetProperty("subject").GetString());
    }

    [Fact]
    public void Mime_is_written_only_when_asked()
    {
        var message = TestMessages.Simple();
        Assert.False(Parse(ResultJson.Write(message, false)).TryGetProperty("mime", out _));
        Assert.Equal(TestMessages.Mime, Parse(ResultJson.Write(message, true)).GetProperty("mime").GetString());
    }

    [Fact]
    public void Old_extracted_from_a_reread_result_is_replaced_not_duplicated()
    {
        var message = TestMessages.Simple(",\"extracted\":{\"subject\":\"stale\"}");
        var root = Parse(ResultJson.Write(message, false));
        Assert.Equal("Quarterly report", root.GetProperty("extracted").GetProperty("subject").GetString());
        Assert.Single(root.EnumerateObject(), p => p.Name == "extracted");
        Assert.False(Parse(ResultJson.WriteOutbox(message)).TryGetProperty("extracted", out _));
    }
}
