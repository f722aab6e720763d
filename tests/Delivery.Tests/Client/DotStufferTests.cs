using System.Buffers;
using System.Text;
using MailerQ.Www.Smtp.Client;

namespace MailerQ.Www.Delivery.Tests.Client;

public sealed class DotStufferTests
{
    private static string Stuff(string message, int split)
    {
        var input = Encoding.ASCII.GetBytes(message);
        var output = new ArrayBufferWriter<byte>();
        var stuffer = new DotStuffer();
        stuffer.Write(input.AsSpan(0, split), output);
        stuffer.Write(input.AsSpan(split), output);
        stuffer.Finish(output);
        Assert.Equal(output.WrittenCount, stuffer.Written);
        return Encoding.ASCII.GetString(output.WrittenSpan);
    }

    [Theory]
    [InlineData("", ".\r\n")]
    [InlineData("a\r\n", "a\r\n.\r\n")]
    [InlineData(".\r\n", "..\r\n.\r\n")]
    [InlineData(".a\r\n..b\r\nc.d\r\n", "..a\r\n...b\r\nc.d\r\n.\r\n")]
    [InlineData("no final line end", "no final line end\r\n.\r\n")]
    [InlineData("bare\nlf\n.dot\n", "bare\r\nlf\r\n..dot\r\n.\r\n")]
    [InlineData("\n\n", "\r\n\r\n.\r\n")]
    [InlineData("cr\rinside\r\n", "cr\rinside\r\n.\r\n")]
    [InlineData("ends in cr\r", "ends in cr\r\n.\r\n")]
    [InlineData("a\r\n\r\n.\r\n", "a\r\n\r\n..\r\n.\r\n")]
    public void Stuffs_dots_and_repairs_line_ends_wherever_the_input_is_split(string message, string expected)
    {
        for (int split = 0; split <= message.Length; split++)
            Assert.Equal(expected, Stuff(message, split));
    }
}
