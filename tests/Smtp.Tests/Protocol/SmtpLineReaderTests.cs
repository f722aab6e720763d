using System.Buffers;
using System.Text;
using MailerQ.Www.Smtp.Protocol;

namespace MailerQ.Www.Smtp.Tests.Protocol;

public sealed class SmtpLineReaderTests
{
    private static (LineStatus Status, string Line, long Consumed) Read(string input, int max = SmtpLimits.CommandLine)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(input)));
        Span<byte> scratch = new byte[max];
        var status = SmtpLineReader.TryRead(ref reader, max, scratch, out var line);
        return (status, Encoding.ASCII.GetString(line), reader.Consumed);
    }

    [Theory]
    [InlineData("NOOP\r\n", "Done", "NOOP")]
    [InlineData("NOOP\n", "Done", "NOOP")]
    [InlineData("NOOP", "NeedMore", "")]
    [InlineData("NO\rOP\r\n", "BareCr", "NO\rOP")]
    public void Reads_lines(string input, string status, string line)
    {
        var result = Read(input);
        Assert.Equal(status, result.Status.ToString());
        if (status == "Done") Assert.Equal(line, result.Line);
    }

    [Fact]
    public void A_line_of_512_octets_with_CRLF_is_accepted_and_513_refused()
    {
        Assert.Equal(LineStatus.Done, Read(new string('a', 510) + "\r\n").Status);
        Assert.Equal(LineStatus.TooLong, Read(new string('a', 511) + "\r\n").Status);
        Assert.Equal(LineStatus.TooLongOpen, Read(new string('a', 600)).Status);
        Assert.Equal(LineStatus.NeedMore, Read(new string('a', 511)).Status);
    }
}
