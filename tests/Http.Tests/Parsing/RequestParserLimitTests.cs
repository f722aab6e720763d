using System.Buffers;
using MailerQ.Www.Http.Parsing;

namespace MailerQ.Www.Http.Tests.Parsing;

/// <summary>
/// The head budget (CONTRACT.md: request line + headers ≤ 32 KiB → 431, 414 allowed for the request
/// line) counts every byte up to and including the CRLF of the empty line that ends the head.
/// </summary>
public sealed class RequestParserLimitTests
{
    private const int Max = HttpLimits.MaxRequestHeadBytes;

    /// <summary>A head of exactly <paramref name="total"/> bytes, padded in one field value.</summary>
    private static string HeadOfSize(int total)
    {
        const string Start = "GET / HTTP/1.1\r\nHost: a\r\nX-Fill: ";
        const string End = "\r\n\r\n";
        return Start + new string('f', total - Start.Length - End.Length) + End;
    }

    /// <summary>A head of exactly <paramref name="total"/> bytes, padded in the request-target.</summary>
    private static string RequestLineOfSize(int lineBytes, string rest)
    {
        const string Start = "GET /";
        const string End = " HTTP/1.0\r\n";
        return Start + new string('p', lineBytes - Start.Length - End.Length) + End + rest;
    }

    [Fact]
    public void Accepts_a_head_of_exactly_32_KiB()
    {
        string input = HeadOfSize(Max);
        Assert.Equal(Max, input.Length);
        Transcript t = SplitHarness.AssertSameEverywhere(input);
        Assert.False(t.Failed, t.ToString());
        Assert.Equal("X-Fill: " + new string('f', input.Count(c => c == 'f')), t.SingleHead.Headers.Split('\n')[1]);
    }

    [Fact]
    public void Rejects_a_head_one_byte_over_32_KiB_with_431()
    {
        Transcript t = SplitHarness.AssertSameEverywhere(HeadOfSize(Max + 1));
        Assert.Equal(RequestRejection.HeadersTooLarge, t.Rejection);
        Assert.Equal(431, t.Rejection.StatusCode());
    }

    [Fact]
    public void Accepts_a_request_line_that_fills_the_budget_with_the_final_CRLF()
    {
        Transcript t = SplitHarness.AssertSameEverywhere(RequestLineOfSize(Max - 2, "\r\n"));
        Assert.False(t.Failed, t.ToString());
        // The request line is "GET " + target + " HTTP/1.0\r\n": 15 bytes around the target.
        Assert.Equal(Max - 2 - 15, t.SingleHead.Target.Length);
    }

    [Fact]
    public void Rejects_the_final_CRLF_past_the_budget_with_431()
    {
        Transcript t = SplitHarness.AssertSameEverywhere(RequestLineOfSize(Max - 1, "\r\n"));
        Assert.Equal(RequestRejection.HeadersTooLarge, t.Rejection);
    }

    [Fact]
    public void Rejects_a_request_line_longer_than_the_budget_with_414()
    {
        Transcript t = SplitHarness.AssertSameEverywhere(RequestLineOfSize(Max + 1, "\r\n"));
        Assert.Equal(RequestRejection.RequestLineTooLong, t.Rejection);
        Assert.Equal(414, t.Rejection.StatusCode());
    }

    [Fact]
    public void Counts_empty_lines_before_the_request_line()
    {
        string input = string.Concat(Enumerable.Repeat("\r\n", (Max / 2) + 1)) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
        Assert.Equal(RequestRejection.RequestLineTooLong, SplitHarness.AssertSameEverywhere(input).Rejection);
    }

    [Theory]
    [InlineData("", 414)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-Endless: ", 431)]
    public void Rejects_40_KiB_without_a_newline(string prefix, int status)
    {
        string input = prefix + new string('x', (40 * 1024) - prefix.Length);
        Assert.Equal(status, SplitHarness.AssertSameEverywhere(input).Rejection.StatusCode());
    }

    [Theory]
    [InlineData("")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-Endless: ")]
    public void Fails_as_soon_as_the_pending_line_can_no_longer_fit(string prefix)
    {
        // A peer that never sends LF: the parser must not wait for one. With Max - 1 bytes pending the
        // line could still end in budget (the LF being the last byte); with Max bytes it cannot.
        byte[] almost = Sequences.Bytes(prefix + new string('x', Max - 1 - prefix.Length));
        byte[] full = Sequences.Bytes(prefix + new string('x', Max - prefix.Length));

        foreach (ReadOnlySequence<byte> seq in (ReadOnlySequence<byte>[])[new(almost), Sequences.Chunks(almost, 4096)])
        {
            var reader = new SequenceReader<byte>(seq);
            Assert.Equal(ParseStatus.NeedMore, new HttpRequestParser().ParseHead(ref reader, new HttpRequestHead(), out _));
        }

        foreach (ReadOnlySequence<byte> seq in (ReadOnlySequence<byte>[])[new(full), Sequences.Chunks(full, 4096)])
        {
            var reader = new SequenceReader<byte>(seq);
            Assert.Equal(ParseStatus.Error, new HttpRequestParser().ParseHead(ref reader, new HttpRequestHead(), out RequestRejection rejection));
            Assert.NotEqual(RequestRejection.None, rejection);
        }
    }

    [Fact]
    public void Stops_reading_a_trickled_endless_line_within_the_budget()
    {
        // Fed 1000 bytes at a time, as a pipe would, the error comes before 33 KiB have been offered.
        var parser = new HttpRequestParser();
        var head = new HttpRequestHead();
        byte[] pending = [];
        int offered = 0;
        ParseStatus status;
        do
        {
            pending = [.. pending, .. new byte[1000].Select(_ => (byte)'x')];
            offered += 1000;
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(pending));
            status = parser.ParseHead(ref reader, head, out _);
        }
        while (status == ParseStatus.NeedMore && offered < 40 * 1024);

        Assert.Equal(ParseStatus.Error, status);
        Assert.Equal(33_000, offered);
    }

    [Fact]
    public void Rejects_more_than_100_field_lines_with_431()
    {
        Assert.Equal(431, RequestCorpus.Malformed["101 headers"].Reason.StatusCode());
        Assert.Equal(RequestRejection.HeadersTooLarge, ConnectionSimulator.Run(new ReadOnlySequence<byte>(Sequences.Bytes(RequestCorpus.Malformed["101 headers"].Input))).Rejection);
    }
}
