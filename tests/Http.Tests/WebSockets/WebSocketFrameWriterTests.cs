using System.Buffers;
using System.Text;
using MailerQ.Www.Http.WebSockets;

namespace MailerQ.Www.Http.Tests.WebSockets;

public sealed class WebSocketFrameWriterTests
{
    [Theory]
    [InlineData(0, "8200")]
    [InlineData(125, "827D")]
    [InlineData(126, "827E007E")]
    [InlineData(65535, "827EFFFF")]
    [InlineData(65536, "827F0000000000010000")]
    public void Server_headers_use_the_minimal_length_and_no_mask(long length, string hex)
    {
        Span<byte> header = stackalloc byte[10];
        int n = WebSocketFrameWriter.WriteHeader(header, WebSocketOpcode.Binary, length);
        Assert.Equal(hex, Convert.ToHexString(header[..n]));
        Assert.Equal(n, WebSocketFrameWriter.HeaderLength(length));
    }

    [Fact]
    public void The_trace_prefix_ends_exactly_where_the_payload_starts()
    {
        var reserved = new byte[10];
        int n = WebSocketFrameWriter.TracePrefix(reserved, 300);
        Assert.Equal(4, n);
        Assert.Equal("000000000000827E012C", Convert.ToHexString(reserved));
    }

    [Fact]
    public void Close_reason_is_cut_to_fit_a_control_frame_without_splitting_a_character()
    {
        var output = new ArrayBufferWriter<byte>();
        string reason = new string('a', 122) + "é";  // 124 bytes: the é would cross byte 123
        WebSocketFrameWriter.WriteClose(output, WebSocketCloseCode.PolicyViolation, Encoding.UTF8.GetBytes(reason));
        var frame = output.WrittenSpan;
        Assert.Equal(0x88, frame[0]);
        Assert.Equal(2 + 122, frame[1]);
        Assert.Equal(1008, (frame[2] << 8) | frame[3]);
        Assert.True(System.Text.Unicode.Utf8.IsValid(frame[4..]));
    }

    [Fact]
    public void A_close_without_code_has_an_empty_body()
    {
        var output = new ArrayBufferWriter<byte>();
        WebSocketFrameWriter.WriteClose(output, WebSocketCloseCode.None, "ignored"u8);
        Assert.Equal("8800", Convert.ToHexString(output.WrittenSpan));
    }
}
