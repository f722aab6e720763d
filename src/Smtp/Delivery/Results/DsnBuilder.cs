using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MailerQ.Www.Smtp.Delivery.Messages;
using MailerQ.Www.Smtp.Queue;
using MimeKit;
using MimeKit.Utils;

namespace MailerQ.Www.Smtp.Delivery.Results;

/// <summary>
/// Builds delivery status notifications (RFC 3464) with MimeKit: <c>multipart/report;
/// report-type=delivery-status</c> holding a human-readable part, the <c>message/delivery-status</c> fields,
/// and the original message (RET=FULL) or its header (RET=HDRS, <c>text/rfc822-headers</c>). The bounce is an
/// outbox message itself: null sender (RFC 3464 section 2: notifications are sent with an empty MAIL FROM, so
/// they are never bounced back), addressed to the original envelope sender.
/// </summary>
internal sealed class DsnBuilder
{
    private static readonly FormatOptions Crlf = CreateFormat();

    private readonly TimeProvider _time;

    public DsnBuilder(DsnOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        Options = options;
        _time = time;
    }

    public DsnOptions Options { get; }

    /// <summary>
    /// The bounce for <paramref name="original"/>, or null when none is due: the sender asked for none of
    /// <paramref name="action"/> (NOTIFY, else <c>dsn-notify</c>), said NEVER, or is the null sender.
    /// </summary>
    /// <param name="reported">The attempt whose reply the notification quotes (for an expired message, its last real attempt).</param>
    /// <param name="status">RFC 3463 status to report instead of the one derived from <paramref name="reported"/> (5.4.7 on expiry).</param>
    /// <param name="retryUntil">Will-Retry-Until for a delayed notification (the deadline).</param>
    public OutboxMessage? Build(OutboxMessage original, DsnAction action, AttemptResult reported, string? status = null, DateTimeOffset? retryUntil = null)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(reported);
        // Never to the null sender: that is how bounce loops are avoided (RFC 5321 section 4.5.5).
        if (original.Envelope.Length == 0)
            return null;
        var request = DsnRequest.For(original, Options);
        if (!request.Wants(action))
            return null;

        var report = BuildReport(original, action, reported, request, status, retryUntil);
        using var stream = new MemoryStream();
        report.WriteTo(Crlf, stream);

        var json = new JsonObject
        {
            ["envelope"] = "",
            ["recipient"] = original.Envelope,
            // Belt and braces with the null sender: the bounce itself never asks for a notification.
            ["dsn"] = new JsonObject { ["notify"] = "NEVER" },
        };
        if (original.Ips is { Count: > 0 } ips)
        {
            // Sent from the address the original used, the one the sender's server already knows.
            var array = new JsonArray();
            foreach (var ip in ips)
                array.Add((JsonNode?)JsonValue.Create(ip));
            json["ips"] = array;
        }
        return new OutboxMessage(MessageIds.New(), json, stream.ToArray());
    }

    /// <summary>The notification as a MIME message (exposed for tests and the console).</summary>
    internal MimeMessage BuildReport(OutboxMessage original, DsnAction action, AttemptResult reported, DsnRequest request, string? status, DateTimeOffset? retryUntil)
    {
        var now = _time.GetUtcNow();
        string host = Options.HostName;
        string statusCode = status ?? StatusFor(action, reported);

        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@" + host));
        message.To.Add(MailboxAddress.TryParse(ParserOptions.Default, original.Envelope, out var sender) ? sender : new MailboxAddress("", original.Envelope));
        message.Subject = action switch
        {
            DsnAction.Failed => "Undelivered Mail Returned to Sender",
            DsnAction.Delayed => "Delayed Mail (still being retried)",
            _ => "Successful Mail Delivery Report",
        };
        message.Date = now;
        message.MessageId = MimeUtils.GenerateMessageId(host);
        // RFC 3834 section 5: automatic responses say so, and well-behaved responders never answer them.
        message.Headers.Add("Auto-Submitted", "auto-replied");
        var originalHeaders = ExtractedFields.ReadHeaders(original.Mime.Span);
        if (originalHeaders?[HeaderId.MessageId] is { } originalId)
        {
            message.Headers.Add(HeaderId.InReplyTo, originalId);
            message.Headers.Add(HeaderId.References, originalId);
        }

        var report = new MultipartReport("delivery-status");
        report.Add(new TextPart("plain") { Text = HumanText(original, action, reported, host, retryUntil) });
        report.Add(DeliveryStatus(original, action, reported, request, statusCode, host, now, retryUntil));
        if (OriginalPart(original.Mime, request.Return) is { } returned)
            report.Add(returned);
        message.Body = report;
        return message;
    }

    /// <summary>
    /// RFC 3464 section 2.2 per-message fields, a blank line, then the section 2.3 per-recipient fields. Written by
    /// hand rather than through <see cref="MessageDeliveryStatus.StatusGroups"/>, which ends the content with an extra
    /// blank line that parsers (MimeKit's own) read as a third, empty group.
    /// </summary>
    private static MessageDeliveryStatus DeliveryStatus(OutboxMessage original, DsnAction action, AttemptResult reported,
        DsnRequest request, string status, string host, DateTimeOffset now, DateTimeOffset? retryUntil)
    {
        var sb = new StringBuilder(512);
        if (request.EnvelopeId is { } envid)
            Field(sb, "Original-Envelope-Id", envid);
        Field(sb, "Reporting-MTA", "dns; " + host);
        Field(sb, "Arrival-Date", DateUtils.FormatDate(original.FirstSeen(now)));
        sb.Append("\r\n");

        if (request.OriginalRecipient is { } orcpt)
            Field(sb, "Original-Recipient", orcpt.Contains(';', StringComparison.Ordinal) ? orcpt : "rfc822;" + orcpt);
        Field(sb, "Final-Recipient", "rfc822;" + original.Recipient);
        Field(sb, "Action", action switch
        {
            DsnAction.Failed => "failed",
            DsnAction.Delayed => "delayed",
            _ => "delivered",
        });
        Field(sb, "Status", status);
        if (reported.Mta is { Length: > 0 } mta)
            Field(sb, "Remote-MTA", "dns; " + mta);
        else if (reported.To is { Length: > 0 } ip)
            Field(sb, "Remote-MTA", "dns; [" + ip + "]");
        if (reported.Code > 0)
            Field(sb, "Diagnostic-Code", "smtp; " + SmtpReply(reported));
        Field(sb, "Last-Attempt-Date", DateUtils.FormatDate(reported.Time == default ? now : reported.Time));
        if (action == DsnAction.Delayed && retryUntil is { } until)
            Field(sb, "Will-Retry-Until", DateUtils.FormatDate(until));

        var bytes = Encoding.ASCII.GetBytes(sb.ToString());
        return new MessageDeliveryStatus { Content = new MimeContent(new MemoryStream(bytes, writable: false)) };
    }

    /// <summary>One field on one line, US-ASCII as RFC 3464 section 2.1.1 requires (other characters become '?').</summary>
    private static void Field(StringBuilder sb, string name, string value)
    {
        sb.Append(name).Append(": ");
        foreach (char c in OneLine(value))
            sb.Append(c is >= ' ' and < (char)0x7f ? c : '?');
        sb.Append("\r\n");
    }

    /// <summary>RET=FULL: message/rfc822; RET=HDRS: text/rfc822-headers; nothing when the MIME is not at hand (a <c>key</c> message).</summary>
    private static MimeEntity? OriginalPart(ReadOnlyMemory<byte> mime, DsnReturn ret)
    {
        if (mime.IsEmpty)
            return null;
        if (ret == DsnReturn.Full)
        {
            try
            {
                using var stream = new MemoryStream(mime.ToArray(), writable: false);
                return new MessagePart("rfc822") { Message = MimeMessage.Load(stream) };
            }
            catch (FormatException)
            {
                // Not parseable as a message: return what can be returned, the header (RFC 3461 section 4.3 allows less than asked).
            }
        }
        var header = ExtractedFields.HeaderBlock(mime.Span);
        // MimeKit models text/rfc822-headers as a message part whose message has a header and no body.
        using var headerStream = new MemoryStream(header.ToArray(), writable: false);
        return new TextRfc822Headers { Message = MimeMessage.Load(headerStream) };
    }

    /// <summary>
    /// The reported status with the class the Action needs (RFC 3464 section 2.3.4: failed = 5, delayed = 4,
    /// delivered = 2): the reply's enhanced status when its class fits, else X.0.0.
    /// </summary>
    internal static string StatusFor(DsnAction action, AttemptResult reported)
    {
        char wanted = action switch
        {
            DsnAction.Failed => '5',
            DsnAction.Delayed => '4',
            _ => '2',
        };
        if (reported.Status is { Length: >= 5 } status && status[0] == wanted && status[1] == '.')
            return status;
        return wanted + ".0.0";
    }

    private static string SmtpReply(AttemptResult reported)
    {
        var sb = new StringBuilder();
        sb.Append(reported.Code.ToString(CultureInfo.InvariantCulture));
        if (reported.Status is { Length: > 0 } status)
            sb.Append(' ').Append(status);
        if (reported.Description.Length > 0)
            sb.Append(' ').Append(OneLine(reported.Description));
        return sb.ToString();
    }

    private static string HumanText(OutboxMessage original, DsnAction action, AttemptResult reported, string host, DateTimeOffset? retryUntil)
    {
        var sb = new StringBuilder();
        sb.Append("This is the mail system at host ").Append(host).Append(".\r\n\r\n");
        switch (action)
        {
            case DsnAction.Failed:
                sb.Append("I'm sorry to have to inform you that your message could not\r\n")
                  .Append("be delivered to the recipient below. It has been given up.\r\n");
                break;
            case DsnAction.Delayed:
                sb.Append("Your message could not be delivered yet. Delivery will be retried");
                if (retryUntil is { } until)
                    sb.Append("\r\nuntil ").Append(DateUtils.FormatDate(until));
                sb.Append(".\r\nYou do not need to resend it.\r\n");
                break;
            default:
                sb.Append("Your message was successfully delivered to the recipient below.\r\n");
                break;
        }
        sb.Append("\r\n<").Append(original.Recipient).Append(">: ");
        if (reported.Code > 0)
            sb.Append(reported.To is { Length: > 0 } ip ? "host " + (reported.Mta ?? ip) + "[" + ip + "] said: " : "").Append(SmtpReply(reported));
        else
            sb.Append(OneLine(reported.Description.Length > 0 ? reported.Description : reported.State + " " + reported.Result));
        sb.Append("\r\n");
        return sb.ToString();
    }

    /// <summary>Reply text from a remote server may hold CR/LF; a header field or line must not.</summary>
    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private static FormatOptions CreateFormat()
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        return options;
    }
}
