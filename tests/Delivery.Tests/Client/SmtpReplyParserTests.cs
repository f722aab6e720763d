using System.Buffers;
using System.Text;
using MailerQ.Www.Smtp.Client;

namespace MailerQ.Www.Delivery.Tests.Client;

public sealed class SmtpReplyParserTests
{
    /// <summary>Feeds the input as two segments split at <paramref name="split"/>, in two Parse calls as the pipe would.</summary>
    private static (ReplyStatus Status, long Consumed) Feed(SmtpReplyParser parser, byte[] input, int split)
    {
        var first = new ReadOnlySequence<byte>(input.AsMemory(0, split));
        var reader = new SequenceReader<byte>(first);
        var status = parser.Parse(ref reader);
        long consumed = reader.Consumed;
        if (status != ReplyStatus.NeedMore)
            return (status, consumed);
        var rest = new ReadOnlySequence<byte>(input.AsMemory(split));
        reader = new SequenceReader<byte>(rest);
        status = parser.Parse(ref reader);
        return (status, consumed + reader.Consumed);
    }

    [Fact]
    public void Reads_a_multi_line_reply_split_at_every_offset()
    {
        var input = "250-mx.test Hello\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 DSN\r\n354 next"u8.ToArray();
        int end = input.Length - "354 next".Length;
        for (int split = 0; split <= input.Length; split++)
        {
            using var parser = new SmtpReplyParser();
            parser.Reset();
            var (status, consumed) = Feed(parser, input, split);
            Assert.Equal(ReplyStatus.Done, status);
            Assert.Equal(end, consumed);
            Assert.Equal(250, parser.Code);
            Assert.Equal(4, parser.LineCount);
            Assert.Equal("mx.test Hello", Encoding.ASCII.GetString(parser.Line(0)));
            Assert.Equal("DSN", Encoding.ASCII.GetString(parser.Line(3)));
        }
    }

    [Fact]
    public void Takes_the_enhanced_status_from_the_first_line_and_drops_it_from_the_description()
    {
        using var parser = new SmtpReplyParser();
        parser.Reset();
        var (status, _) = Feed(parser, "550-5.1.1 No such user\r\n550 5.1.1 here\r\n"u8.ToArray(), 3);
        Assert.Equal(ReplyStatus.Done, status);
        Assert.Equal("5.1.1", parser.EnhancedStatus());
        Assert.Equal("No such user here", parser.Description());
    }

    [Theory]
    [InlineData("250 2.0.0\r\n", "2.0.0")]
    [InlineData("250 5.0.0 class differs\r\n", null)]
    [InlineData("451 4.3.1234 too long detail\r\n", null)]
    [InlineData("451 4.3 short\r\n", null)]
    [InlineData("221 Bye\r\n", null)]
    public void Enhanced_status_follows_RFC_3463_syntax(string reply, string? expected)
    {
        using var parser = new SmtpReplyParser();
        parser.Reset();
        Feed(parser, Encoding.ASCII.GetBytes(reply), 0);
        Assert.Equal(expected, parser.EnhancedStatus());
    }

    [Theory]
    [InlineData("250\r\n")]
    [InlineData("250 \r\n")]
    [InlineData("250 ok\n")]
    public void Accepts_a_code_only_line_and_a_bare_LF(string reply)
    {
        using var parser = new SmtpReplyParser();
        parser.Reset();
        Assert.Equal(ReplyStatus.Done, Feed(parser, Encoding.ASCII.GetBytes(reply), 1).Status);
        Assert.Equal(250, parser.Code);
    }

    [Theory]
    [InlineData("25x ok\r\n")]
    [InlineData("HTTP/1.1 400\r\n")]
    [InlineData("250-first\r\n251 second\r\n")]
    [InlineData("250_ok\r\n")]
    [InlineData("999 ok\r\n")]
    public void Refuses_what_is_not_an_SMTP_reply(string reply)
    {
        using var parser = new SmtpReplyParser();
        parser.Reset();
        Assert.Equal(ReplyStatus.Invalid, Feed(parser, Encoding.ASCII.GetBytes(reply), 2).Status);
        Assert.NotNull(parser.Error);
    }

    [Fact]
    public void Refuses_an_endless_line_without_buffering_it()
    {
        using var parser = new SmtpReplyParser();
        parser.Reset();
        var input = Encoding.ASCII.GetBytes("250 " + new string('x', SmtpClientLimits.ReplyLine + 10));
        Assert.Equal(ReplyStatus.Invalid, Feed(parser, input, 100).Status);
    }

    [Fact]
    public void Refuses_an_endless_multi_line_reply()
    {
        using var parser = new SmtpReplyParser();
        parser.Reset();
        var input = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("250-x\r\n", SmtpClientLimits.ReplyLines + 1)));
        Assert.Equal(ReplyStatus.Invalid, Feed(parser, input, 7).Status);
    }

    [Fact]
    public void Reads_EHLO_extensions()
    {
        using var parser = new SmtpReplyParser();
        parser.Reset();
        Feed(parser, "250-mx\r\n250-pipelining\r\n250-SIZE 52428800\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250-DSN\r\n250-STARTTLS\r\n250-AUTH LOGIN PLAIN\r\n250 ENHANCEDSTATUSCODES\r\n"u8.ToArray(), 0);
        var extensions = EhloCapabilities.Read(parser, out long size);
        Assert.Equal(SmtpExtensions.Pipelining | SmtpExtensions.Size | SmtpExtensions.EightBitMime | SmtpExtensions.SmtpUtf8 | SmtpExtensions.Dsn
            | SmtpExtensions.StartTls | SmtpExtensions.AuthLogin | SmtpExtensions.AuthPlain | SmtpExtensions.EnhancedStatusCodes, extensions);
        Assert.Equal(52428800, size);
    }
}
