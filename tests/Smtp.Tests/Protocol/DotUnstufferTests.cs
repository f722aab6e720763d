using System.Buffers;
using System.Text;
using MailerQ.Www.Smtp.Protocol;

namespace MailerQ.Www.Smtp.Tests.Protocol;

public sealed class DotUnstufferTests
{
    private sealed class Collector : IMessageSink
    {
        public readonly List<byte> Bytes = [];
        public int Writes;

        public void Write(ReadOnlySpan<byte> bytes)
        {
            Bytes.AddRange(bytes.ToArray());
            Writes++;
        }
    }

    /// <summary>Feeds <paramref name="wire"/> in two pieces, split at <paramref name="split"/>, as two reads of a pipe would.</summary>
    private static (string Message, DataFault Fault, int Remaining, bool Done) Run(string wire, int split, long max = 1 << 20)
    {
        var bytes = Encoding.ASCII.GetBytes(wire);
        var unstuffer = new DotUnstuffer();
        unstuffer.Reset(max);
        var sink = new Collector();
        bool done = false;
        int consumed = 0;
        foreach (var (start, end) in new[] { (0, split), (split, bytes.Length) })
        {
            if (done) break;
            // Both halves are one two-segment sequence, so segment boundaries are exercised too.
            var reader = new SequenceReader<byte>(Segments(bytes.AsMemory(consumed, end - consumed), (end - consumed) / 2));
            done = unstuffer.Decode(ref reader, sink);
            consumed += (int)reader.Consumed;
        }
        return (Encoding.ASCII.GetString(sink.Bytes.ToArray()), unstuffer.Fault, bytes.Length - consumed, done);
    }

    private static ReadOnlySequence<byte> Segments(ReadOnlyMemory<byte> memory, int at)
    {
        if (at <= 0 || at >= memory.Length) return new ReadOnlySequence<byte>(memory);
        var first = new Segment(memory[..at], 0);
        var last = first.Append(memory[at..]);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long index)
        {
            Memory = memory;
            RunningIndex = index;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    public static TheoryData<string, string> Messages => new()
    {
        { "Subject: x\r\n\r\nbody\r\n.\r\n", "Subject: x\r\n\r\nbody\r\n" },
        { ".\r\n", "" },
        { "..\r\n.\r\n", ".\r\n" },
        { "...leading\r\n.\r\n", "..leading\r\n" },
        { "a\r\n..b\r\n.c\r\n.\r\n", "a\r\n.b\r\nc\r\n" },
        { "not. end\r\n . \r\n.\r\n", "not. end\r\n . \r\n" },
        { "line\r\n\r\n.\r\n", "line\r\n\r\n" },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Unstuffs_and_stops_at_CRLF_dot_CRLF_at_every_split(string wire, string expected)
    {
        for (int split = 0; split <= wire.Length; split++)
        {
            var (message, fault, rest, done) = Run(wire + "QUIT\r\n", split);
            Assert.True(done, $"split {split}");
            Assert.Equal(DataFault.None, fault);
            Assert.Equal(expected, message);
            Assert.Equal("QUIT\r\n".Length, rest);
        }
    }

    [Theory]
    [InlineData("bare\nLF\r\n.\r\n")]
    [InlineData("bare\rCR\r\n.\r\n")]
    [InlineData("x\r\n.\rY\r\n.\r\n")]
    public void Flags_bare_line_endings_and_still_finds_the_end(string wire)
    {
        for (int split = 0; split <= wire.Length; split++)
        {
            var (_, fault, rest, done) = Run(wire, split);
            Assert.True(done);
            Assert.Equal(DataFault.BareLineEnding, fault);
            Assert.Equal(0, rest);
        }
    }

    [Fact]
    public void A_bare_LF_dot_LF_does_not_end_the_data()
    {
        // SMTP smuggling: "\n.\n" must not terminate; only CRLF.CRLF does.
        var (_, fault, _, done) = Run("a\n.\nMAIL FROM:<x@y>\r\n", 3);
        Assert.False(done);
        Assert.Equal(DataFault.BareLineEnding, fault);
    }

    [Fact]
    public void Lines_of_998_octets_pass_and_999_are_flagged()
    {
        string ok = new string('a', 998) + "\r\n.\r\n";
        string bad = new string('a', 999) + "\r\n.\r\n";
        for (int split = 990; split <= 1001; split++)
        {
            Assert.Equal(DataFault.None, Run(ok, split).Fault);
            Assert.Equal(DataFault.LineTooLong, Run(bad, split).Fault);
        }
    }

    [Fact]
    public void Over_max_size_is_flagged_and_not_written()
    {
        var (message, fault, _, done) = Run("0123456789\r\n.\r\n", 5, max: 8);
        Assert.True(done);
        Assert.Equal(DataFault.TooBig, fault);
        Assert.True(message.Length <= 8);
    }

    [Fact]
    public void Writes_whole_lines_at_once_in_the_single_segment_fast_path()
    {
        var unstuffer = new DotUnstuffer();
        unstuffer.Reset(1 << 20);
        var sink = new Collector();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>("one\r\ntwo\r\n.\r\n"u8.ToArray()));
        Assert.True(unstuffer.Decode(ref reader, sink));
        Assert.Equal(2, sink.Writes);
    }
}
