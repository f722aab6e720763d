using System.Buffers;
using MailerQ.Www.Http.Parsing;

namespace MailerQ.Www.Http.Tests.Parsing;

/// <summary>
/// Chunked bodies (RFC 9112 §7.1), each run behind a chunked POST head through the split harness, so
/// every case is also fed split at every byte offset and byte by byte.
/// </summary>
public sealed class ChunkedBodyDecoderTests
{
    private const string ChunkedHead = "POST /api/upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

    public static TheoryData<string, string> Valid => new()
    {
        { "5\r\nhello\r\n0\r\n\r\n", "hello" },
        { "0\r\n\r\n", "" },
        { "5\r\nhello\r\n1\r\n,\r\n6\r\n world\r\n0\r\n\r\n", "hello, world" },
        { "A\r\n0123456789\r\na\r\nabcdefghij\r\n0\r\n\r\n", "0123456789abcdefghij" },
        { "0005\r\nhello\r\n000\r\n\r\n", "hello" },
        { "5;name=value;flag\r\nhello\r\n0;last\r\n\r\n", "hello" },
        { "5;a=\"quoted ; value\"\r\nhello\r\n0\r\n\r\n", "hello" },
        { "5 ;bws\r\nhello\r\n0\t; x = y\r\n\r\n", "hello" },
        { "5\r\nhello\r\n0\r\nExpires: never\r\nX-Checksum: abc\t \r\n\r\n", "hello" },
        { "2\r\n\r\n\r\n0\r\n\r\n", "\r\n" },
        { "3\r\n\u00ff\u0000\u00fe\r\n0\r\n\r\n", "\u00ff\u0000\u00fe" },
    };

    public static TheoryData<string, string> Malformed => new()
    {
        { "5x\r\nhello\r\n0\r\n\r\n", nameof(RequestRejection.InvalidChunkSize) },
        { "x\r\n", nameof(RequestRejection.InvalidChunkSize) },
        { "\r\nhello", nameof(RequestRejection.InvalidChunkSize) },
        { "-5\r\nhello", nameof(RequestRejection.InvalidChunkSize) },
        { "0x5\r\nhello", nameof(RequestRejection.InvalidChunkSize) },
        { " 5\r\nhello", nameof(RequestRejection.InvalidChunkSize) },
        { "5 \r\nhello", nameof(RequestRejection.InvalidChunkSize) },
        { "5 x\r\nhello", nameof(RequestRejection.InvalidChunkSize) },
        { "5;a\u0001\r\nhello", nameof(RequestRejection.InvalidChunkSize) },
        { "5;a\u0000\r\nhello", nameof(RequestRejection.InvalidChunkSize) },
        { "5\r\nhelloX\r\n0\r\n\r\n", nameof(RequestRejection.InvalidChunkTerminator) },
        { "5\r\nhello\n0\r\n\r\n", nameof(RequestRejection.InvalidChunkTerminator) },
        { "5\r\nhello\rX0\r\n\r\n", nameof(RequestRejection.InvalidChunkTerminator) },
        { "5\r\nhello0\r\n\r\n", nameof(RequestRejection.InvalidChunkTerminator) },
        { "5\nhello\r\n0\r\n\r\n", nameof(RequestRejection.BareLineFeed) },
        { "\nhello", nameof(RequestRejection.BareLineFeed) },
        { "5;ext\nhello\r\n", nameof(RequestRejection.BareLineFeed) },
        { "5\rhello\r\n", nameof(RequestRejection.BareCarriageReturn) },
        { "5;e\rhello\r\n", nameof(RequestRejection.BareCarriageReturn) },
        { "0\r\nX: a\r\n b\r\n\r\n", nameof(RequestRejection.ObsoleteLineFolding) },
        { "0\r\n X: a\r\n\r\n", nameof(RequestRejection.ObsoleteLineFolding) },
        { "0\r\nX a: b\r\n\r\n", nameof(RequestRejection.InvalidHeaderName) },
        { "0\r\nNoColon\r\n\r\n", nameof(RequestRejection.InvalidHeaderName) },
        { "0\r\n: empty\r\n\r\n", nameof(RequestRejection.InvalidHeaderName) },
        { "0\r\nX: a\u0001\r\n\r\n", nameof(RequestRejection.InvalidHeaderValue) },
        { "0\r\nX: a\u0000\r\n\r\n", nameof(RequestRejection.NulCharacter) },
        { "0\r\nX: a\nY: b\r\n\r\n", nameof(RequestRejection.BareLineFeed) },
        { "0\r\nX: a\rb\r\n\r\n", nameof(RequestRejection.BareCarriageReturn) },
        { "0\r\n\n", nameof(RequestRejection.BareLineFeed) },
        { "0\r\n\rX", nameof(RequestRejection.BareCarriageReturn) },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Decodes_well_formed_bodies(string chunked, string body)
    {
        // The next pipelined request must start exactly where the body ends.
        Transcript t = SplitHarness.AssertSameEverywhere(ChunkedHead + chunked + "GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.False(t.Failed, t.ToString());
        Assert.Equal([body], t.Bodies);
        Assert.Equal("/next", t.Heads[1].Path);
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Rejects_malformed_bodies(string chunked, string reason)
    {
        Transcript t = SplitHarness.AssertSameEverywhere(ChunkedHead + chunked);
        Assert.Equal(reason, t.Rejection.ToString());
        Assert.Equal(400, t.Rejection.StatusCode());
    }

    [Theory]
    [InlineData("7fffffffffffffff\r\n", "NeedMore")]
    [InlineData("10000000000000000\r\n", "InvalidChunkSize")]
    [InlineData("ffffffffffffffffffffffff\r\n", "InvalidChunkSize")]
    [InlineData("00000000000000000000000000000001\r\n", "NeedMore")]
    public void Detects_chunk_size_overflow(string line, string outcome)
    {
        var decoder = new ChunkedBodyDecoder();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Sequences.Bytes(line)));
        ParseStatus status = decoder.Decode(ref reader, null, long.MaxValue, out RequestRejection rejection);
        Assert.Equal(outcome, status == ParseStatus.NeedMore ? "NeedMore" : rejection.ToString());
    }

    [Fact]
    public void Enforces_the_body_limit_from_the_chunk_size()
    {
        // Exactly at the limit passes; one byte more fails before the data is read.
        Transcript ok = SplitHarness.AssertSameEverywhere(ChunkedHead + "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n", maxBodyBytes: 10);
        Assert.Equal(["helloworld"], ok.Bodies);

        Transcript over = SplitHarness.AssertSameEverywhere(ChunkedHead + "5\r\nhello\r\n6\r\n", maxBodyBytes: 10);
        Assert.Equal(RequestRejection.BodyTooLarge, over.Rejection);
        Assert.Equal(413, over.Rejection.StatusCode());

        Transcript huge = SplitHarness.AssertSameEverywhere(ChunkedHead + "fffffff");
        Assert.Equal(RequestRejection.BodyTooLarge, huge.Rejection);
    }

    [Fact]
    public void Accepts_an_API_body_of_exactly_1_MiB()
    {
        const int Size = (int)HttpLimits.MaxApiBodyBytes;
        string chunked = "80000\r\n" + new string('a', Size / 2) + "\r\n80000\r\n" + new string('b', Size / 2) + "\r\n0\r\n\r\n";
        Transcript t = ConnectionSimulator.Run(Sequences.Chunks(Sequences.Bytes(ChunkedHead + chunked), 4096));
        Assert.Equal(Size, Assert.Single(t.Bodies).Length);
        Transcript over = ConnectionSimulator.Run(new ReadOnlySequence<byte>(Sequences.Bytes(ChunkedHead + "100001\r\n")));
        Assert.Equal(RequestRejection.BodyTooLarge, over.Rejection);
    }

    [Fact]
    public void Bounds_chunk_extensions_and_size_lines()
    {
        int room = HttpLimits.MaxChunkLineBytes - 2;
        Transcript ok = SplitHarness.AssertSameEverywhere(ChunkedHead + "1;" + new string('e', room - 1) + "\r\nx\r\n0\r\n\r\n");
        Assert.Equal(["x"], ok.Bodies);

        Transcript longExtension = SplitHarness.AssertSameEverywhere(ChunkedHead + "1;" + new string('e', room) + "\r\nx\r\n0\r\n\r\n");
        Assert.Equal(RequestRejection.ChunkExtensionTooLong, longExtension.Rejection);

        Transcript endlessExtension = SplitHarness.AssertSameEverywhere(ChunkedHead + "1;" + new string('e', 40 * 1024));
        Assert.Equal(RequestRejection.ChunkExtensionTooLong, endlessExtension.Rejection);

        Transcript zeros = SplitHarness.AssertSameEverywhere(ChunkedHead + new string('0', HttpLimits.MaxChunkLineBytes + 1));
        Assert.Equal(RequestRejection.InvalidChunkSize, zeros.Rejection);
    }

    [Fact]
    public void Bounds_the_trailer_section()
    {
        // The budget covers the trailer section: the field lines and the final CRLF.
        string fits = "X-T: " + new string('t', HttpLimits.MaxTrailerBytes - 9) + "\r\n\r\n";
        Assert.Equal(HttpLimits.MaxTrailerBytes, fits.Length);
        Assert.False(SplitHarness.AssertSameEverywhere(ChunkedHead + "0\r\n" + fits).Failed);

        string over = "0\r\nX-T: " + new string('t', HttpLimits.MaxTrailerBytes - 8) + "\r\n\r\n";
        Transcript t = SplitHarness.AssertSameEverywhere(ChunkedHead + over);
        Assert.Equal(RequestRejection.HeadersTooLarge, t.Rejection);
    }

    [Fact]
    public void Discards_data_without_a_sink_and_stops_at_the_end_of_the_body()
    {
        var decoder = new ChunkedBodyDecoder();
        var reader = new SequenceReader<byte>(Sequences.OneBytePerSegment(Sequences.Bytes("3\r\nabc\r\n0\r\n\r\nNEXT")));

        Assert.Equal(ParseStatus.Done, decoder.Decode(ref reader, null, 100, out RequestRejection rejection));
        Assert.Equal(RequestRejection.None, rejection);
        Assert.Equal(3, decoder.BodyBytes);
        Assert.Equal(ChunkedBodyState.Done, decoder.State);
        Assert.Equal("NEXT", Sequences.Text(reader.UnreadSequence.ToArray()));

        // Done stays Done and consumes nothing until Reset.
        Assert.Equal(ParseStatus.Done, decoder.Decode(ref reader, null, 100, out _));
        Assert.Equal(4, reader.Remaining);

        decoder.Reset();
        Assert.Equal(ChunkedBodyState.ChunkSize, decoder.State);
        Assert.Equal(0, decoder.BodyBytes);
    }

    [Fact]
    public void Consumes_everything_it_is_given_while_the_body_is_incomplete()
    {
        var decoder = new ChunkedBodyDecoder();
        var sink = new ArrayBufferWriter<byte>();
        foreach (string part in (string[])["1", "0;e", "xt\r", "\n0123456789ab", "cdef", "\r", "\n0\r\nT: v\r", "\n\r", "\n"])
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Sequences.Bytes(part)));
            ParseStatus status = decoder.Decode(ref reader, sink, 100, out _);
            Assert.True(reader.End);
            Assert.Equal(part == "\n" ? ParseStatus.Done : ParseStatus.NeedMore, status);
        }

        Assert.Equal("0123456789abcdef", Sequences.Text(sink.WrittenSpan));
    }
}
