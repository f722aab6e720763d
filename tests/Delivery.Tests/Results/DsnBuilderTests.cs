using System.Text;
using MailerQ.Www.Smtp.Delivery;
using MailerQ.Www.Smtp.Delivery.Messages;
using MailerQ.Www.Smtp.Delivery.Results;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace MailerQ.Www.Delivery.Tests.Results;

public sealed class DsnBuilderTests
{
    private readonly FakeTimeProvider _time = new(TestMessages.Start.AddHours(1));

    private DsnBuilder Builder(params string[] args)
    {
        var config = TestMessages.Config(args);
        var builder = new DsnBuilder(DsnOptions.Read(config, "mq.test.example"), _time);
        Assert.False(config.Diagnostics.HasErrors, string.Join("\n", config.Diagnostics));
        return builder;
    }

    /// <summary>The bounce as a receiving MUA sees it: parsed back from its bytes by MimeKit.</summary>
    private static MimeMessage Load(OutboxMessage bounce)
    {
        using var stream = new MemoryStream(bounce.Mime.ToArray());
        return MimeMessage.Load(stream);
    }

    private static MultipartReport Parts(MimeMessage report) => Assert.IsType<MultipartReport>(report.Body);

    private static HeaderList RecipientFields(MimeMessage report)
    {
        var status = Assert.IsType<MessageDeliveryStatus>(Parts(report)[1]);
        Assert.Equal(2, status.StatusGroups.Count);
        return status.StatusGroups[1];
    }

    [Fact]
    public void Failure_report_is_a_multipart_report_with_the_rfc_3464_fields()
    {
        var original = TestMessages.Simple(",\"dsn\":{\"notify\":\"FAILURE\",\"orcpt\":\"rfc822;Bob@Example.org\",\"envid\":\"QQ314159\"}");
        ResultJson.Append(original, TestMessages.Permanent(TestMessages.Start));
        var bounce = Builder().Build(original, DsnAction.Failed, TestMessages.Permanent(TestMessages.Start));
        Assert.NotNull(bounce);

        Assert.Equal("", bounce.Envelope);
        Assert.Equal("alice@sender.example", bounce.Recipient);
        var report = Load(bounce);
        Assert.Equal("MAILER-DAEMON@mq.test.example", report.From.Mailboxes.Single().Address);
        Assert.Equal("alice@sender.example", report.To.Mailboxes.Single().Address);
        Assert.Equal("auto-replied", report.Headers["Auto-Submitted"]);
        Assert.Equal("abc123@sender.example", report.InReplyTo);

        var multipart = Assert.IsType<MultipartReport>(report.Body);
        Assert.Equal("delivery-status", multipart.ReportType);
        Assert.Equal(3, multipart.Count);
        Assert.Equal("text/plain", multipart[0].ContentType.MimeType);
        Assert.Contains("No such user here", ((TextPart)multipart[0]).Text, StringComparison.Ordinal);

        var status = Assert.IsType<MessageDeliveryStatus>(multipart[1]);
        var perMessage = status.StatusGroups[0];
        Assert.Equal("QQ314159", perMessage["Original-Envelope-Id"]);
        Assert.Equal("dns; mq.test.example", perMessage["Reporting-MTA"]);
        Assert.Equal(TestMessages.Start, MimeKit.Utils.DateUtils.TryParse(perMessage["Arrival-Date"], out var arrival) ? arrival : default);

        var recipient = RecipientFields(report);
        Assert.Equal("rfc822;Bob@Example.org", recipient["Original-Recipient"]);
        Assert.Equal("rfc822;bob@example.org", recipient["Final-Recipient"]);
        Assert.Equal("failed", recipient["Action"]);
        Assert.Equal("5.1.1", recipient["Status"]);
        Assert.Equal("dns; mx.example.org", recipient["Remote-MTA"]);
        Assert.Equal("smtp; 550 5.1.1 No such user here", recipient["Diagnostic-Code"]);
    }

    [Fact]
    public void Default_return_is_the_header_only_as_text_rfc822_headers()
    {
        var bounce = Builder().Build(TestMessages.Simple(), DsnAction.Failed, TestMessages.Permanent(TestMessages.Start))!;
        var returned = Parts(Load(bounce))[2];
        Assert.Equal("text/rfc822-headers", returned.ContentType.MimeType);
        string text = Encoding.UTF8.GetString(bounce.Mime.Span);
        Assert.Contains("Subject: Quarterly report", text, StringComparison.Ordinal);
        Assert.DoesNotContain("the numbers are in", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Ret_full_returns_the_whole_message_as_message_rfc822()
    {
        var original = TestMessages.Simple(",\"dsn\":{\"ret\":\"FULL\"}");
        var bounce = Builder().Build(original, DsnAction.Failed, TestMessages.Permanent(TestMessages.Start))!;
        var returned = Assert.IsType<MessagePart>(Parts(Load(bounce))[2]);
        Assert.Equal("message/rfc822", returned.ContentType.MimeType);
        var inner = Assert.IsType<MimeMessage>(returned.Message);
        Assert.Equal("Quarterly report", inner.Subject);
        Assert.Contains("the numbers are in", inner.TextBody ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void Dsn_ret_config_full_applies_when_the_message_names_no_ret()
    {
        var bounce = Builder("--dsn-ret=FULL").Build(TestMessages.Simple(), DsnAction.Failed, TestMessages.Permanent(TestMessages.Start))!;
        Assert.IsType<MessagePart>(Parts(Load(bounce))[2]);
    }

    [Fact]
    public void Notify_never_gets_no_report_whatever_happened()
    {
        var original = TestMessages.Simple(",\"dsn\":{\"notify\":\"NEVER\"}");
        var builder = Builder("--dsn-notify=SUCCESS,FAILURE,DELAY");
        Assert.Null(builder.Build(original, DsnAction.Failed, TestMessages.Permanent(TestMessages.Start)));
        Assert.Null(builder.Build(original, DsnAction.Delayed, TestMessages.Temporary(TestMessages.Start)));
        Assert.Null(builder.Build(original, DsnAction.Delivered, TestMessages.Success(TestMessages.Start)));
    }

    [Fact]
    public void Null_sender_gets_no_report()
    {
        var original = TestMessages.Parse("{\"envelope\":\"\",\"recipient\":\"bob@example.org\",\"dsn\":{\"notify\":\"FAILURE\"}}");
        Assert.Null(Builder().Build(original, DsnAction.Failed, TestMessages.Permanent(TestMessages.Start)));
    }

    [Fact]
    public void Without_a_dsn_property_the_config_default_failure_applies()
    {
        var builder = Builder();
        Assert.NotNull(builder.Build(TestMessages.Simple(), DsnAction.Failed, TestMessages.Permanent(TestMessages.Start)));
        Assert.Null(builder.Build(TestMessages.Simple(), DsnAction.Delayed, TestMessages.Temporary(TestMessages.Start)));
        Assert.Null(builder.Build(TestMessages.Simple(), DsnAction.Delivered, TestMessages.Success(TestMessages.Start)));
    }

    [Fact]
    public void Message_notify_replaces_the_config_default_and_may_be_an_array()
    {
        var original = TestMessages.Simple(",\"dsn\":{\"notify\":[\"success\"]}");
        var builder = Builder();
        Assert.Null(builder.Build(original, DsnAction.Failed, TestMessages.Permanent(TestMessages.Start)));
        var bounce = builder.Build(original, DsnAction.Delivered, TestMessages.Success(TestMessages.Start))!;
        var report = Load(bounce);
        Assert.Equal("Successful Mail Delivery Report", report.Subject);
        Assert.Equal("delivered", RecipientFields(report)["Action"]);
        Assert.Equal("2.0.0", RecipientFields(report)["Status"]);
    }

    [Fact]
    public void Delayed_report_has_a_4xx_status_and_will_retry_until()
    {
        var original = TestMessages.Simple(",\"dsn\":{\"notify\":\"DELAY\"}");
        var until = TestMessages.Start.AddDays(1);
        var bounce = Builder().Build(original, DsnAction.Delayed, TestMessages.Temporary(TestMessages.Start, 421, ""), retryUntil: until)!;
        var recipient = RecipientFields(Load(bounce));
        Assert.Equal("delayed", recipient["Action"]);
        Assert.Equal("4.0.0", recipient["Status"]);
        Assert.True(MimeKit.Utils.DateUtils.TryParse(recipient["Will-Retry-Until"], out var parsed));
        Assert.Equal(until, parsed);
    }

    [Fact]
    public void Failure_without_an_smtp_reply_has_no_diagnostic_code_and_a_5xx_status()
    {
        var result = new AttemptResult { State = DeliveryStates.Dns, Result = DeliveryResults.Error, Description = "no MX or A record for example.org", Time = TestMessages.Start, Fatal = true };
        var bounce = Builder().Build(TestMessages.Simple(), DsnAction.Failed, result)!;
        var report = Load(bounce);
        var recipient = RecipientFields(report);
        Assert.Equal("5.0.0", recipient["Status"]);
        Assert.Null(recipient["Diagnostic-Code"]);
        Assert.Null(recipient["Remote-MTA"]);
        Assert.Contains("no MX or A record", ((TextPart)Parts(report)[0]).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Reply_text_with_line_breaks_cannot_break_the_status_fields()
    {
        var result = TestMessages.Permanent(TestMessages.Start) with { Description = "bad\r\nAction: delivered" };
        var recipient = RecipientFields(Load(Builder().Build(TestMessages.Simple(), DsnAction.Failed, result)!));
        Assert.Equal("failed", recipient["Action"]);
        Assert.Single(recipient, h => h.Field == "Action");
    }

    [Fact]
    public void Status_fields_are_us_ascii_even_when_the_reply_is_not()
    {
        var result = TestMessages.Permanent(TestMessages.Start) with { Description = "Empfänger unbekannt" };
        var recipient = RecipientFields(Load(Builder().Build(TestMessages.Simple(), DsnAction.Failed, result)!));
        Assert.Equal("smtp; 550 5.1.1 Empf?nger unbekannt", recipient["Diagnostic-Code"]);
    }

    [Fact]
    public void Bounce_json_asks_for_no_notification_and_keeps_the_source_ips()
    {
        var bounce = Builder().Build(TestMessages.Simple(",\"ips\":[\"192.0.2.10\"]"), DsnAction.Failed, TestMessages.Permanent(TestMessages.Start))!;
        Assert.Equal("NEVER", OutboxJson.String(bounce.Dsn!, "notify"));
        Assert.Equal(["192.0.2.10"], bounce.Ips);
        Assert.NotEqual(TestMessages.Simple().Id, bounce.Id);
    }

    [Theory]
    [InlineData("FAILURE,DELAY", "Failure, Delay")]
    [InlineData("never", "Never")]
    [InlineData("SUCCESS; FAILURE", "Success, Failure")]
    public void Dsn_notify_config_accepts_rfc_3461_lists(string value, string expected)
    {
        var config = TestMessages.Config("--dsn-notify=" + value);
        Assert.Equal(expected, DsnOptions.Read(config, "h").Notify.ToString());
        Assert.False(config.Diagnostics.HasErrors);
    }

    [Theory]
    [InlineData("dsn-notify: FAILURE,SOMETIMES\n", ":1: dsn-notify:")]
    [InlineData("dsn-notify: NEVER,FAILURE\n", ":1: dsn-notify:")]
    [InlineData("\ndsn-ret: BODY\n", ":2: dsn-ret: \"BODY\" is not HDRS or FULL")]
    public void Bad_dsn_config_is_reported_with_file_and_line(string text, string expected)
    {
        string directory = Directory.CreateTempSubdirectory("mq-dsn-").FullName;
        try
        {
            var config = TestMessages.ConfigFile(directory, text);
            DsnOptions.Read(config, "h");
            Assert.Contains(config.Diagnostics, d => d.ToString().Contains(expected, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
