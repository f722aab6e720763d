using System.Text;
using MailerQ.Www.Http.WebSockets;

namespace MailerQ.Www.Http.Tests.WebSockets;

public sealed class WebSocketFrameReaderTests
{
    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>A conversation: fragmented text with a ping in the middle, a 16-bit length binary, a close.</summary>
    private static readonly byte[] Conversation = Concat(
        ClientFrame.Build(0x1, Encoding.UTF8.GetBytes("{\"subscribe\":"), fin: false),
        ClientFrame.Build(0x9, "hi"u8),
        ClientFrame.Build(0x0, Encoding.UTF8.GetBytes("\"smtp\",\"peer\":\"ü€"), fin: false, mask: [1, 2, 3, 4]),
        ClientFrame.Build(0x0, Encoding.UTF8.GetBytes("𝄞\"}"), mask: [0, 0, 0, 0]),
        ClientFrame.Build(0x2, new byte[300]),
        ClientFrame.Build(0xA, []),
        ClientFrame.Close(1000, "bye"));

    private static readonly string[] ConversationEvents =
    [
        "ping:6869",
        "text:{\"subscribe\":\"smtp\",\"peer\":\"ü€𝄞\"}(" + Encoding.UTF8.GetByteCount("{\"subscribe\":\"smtp\",\"peer\":\"ü€𝄞\"}") + ")",
        "binary(300)",
        "pong:",
        "close:1000",
    ];

    [Fact]
    public void Reads_a_whole_conversation_in_one_piece() =>
        Assert.Equal(ConversationEvents, FrameFeeder.Feed(Conversation));

    [Fact]
    public void Reads_the_conversation_split_at_every_byte_boundary()
    {
        for (int cut = 1; cut < Conversation.Length; cut++)
            Assert.Equal(ConversationEvents, FrameFeeder.Feed(Conversation, cut));
    }

    [Fact]
    public void Reads_the_conversation_one_byte_at_a_time() =>
        Assert.Equal(ConversationEvents, FrameFeeder.Feed(Conversation, Enumerable.Range(1, Conversation.Length - 1).ToArray()));

    [Fact]
    public void Reads_the_conversation_split_at_every_pair_of_boundaries()
    {
        for (int a = 1; a < Conversation.Length; a += 3)
        {
            for (int b = a + 1; b < Conversation.Length; b += 5)
                Assert.Equal(ConversationEvents, FrameFeeder.Feed(Conversation, a, b));
        }
    }

    public static TheoryData<string, byte[], int> Faults => new()
    {
        { "unmasked", ClientFrame.Build(0x1, "x"u8, masked: false), 1002 },
        { "rsv1", ClientFrame.Build(0x1, "x"u8, rsv: 4), 1002 },
        { "rsv2", ClientFrame.Build(0x1, "x"u8, rsv: 2), 1002 },
        { "rsv3", ClientFrame.Build(0x9, [], rsv: 1), 1002 },
        { "opcode 3", ClientFrame.Build(0x3, []), 1002 },
        { "opcode 7", ClientFrame.Build(0x7, []), 1002 },
        { "opcode B", ClientFrame.Build(0xB, []), 1002 },
        { "opcode F", ClientFrame.Build(0xF, []), 1002 },
        { "ping over 125", ClientFrame.Build(0x9, new byte[126]), 1002 },
        { "close over 125", ClientFrame.Build(0x8, new byte[126]), 1002 },
        { "fragmented ping", ClientFrame.Build(0x9, "a"u8, fin: false), 1002 },
        { "continuation first", ClientFrame.Build(0x0, "a"u8), 1002 },
        { "text inside a fragmented text", Concat(ClientFrame.Build(0x1, "a"u8, fin: false), ClientFrame.Build(0x1, "b"u8)), 1002 },
        { "binary inside a fragmented text", Concat(ClientFrame.Build(0x1, "a"u8, fin: false), ClientFrame.Build(0x2, "b"u8)), 1002 },
        { "16-bit length under 126", ClientFrame.Build(0x1, "short"u8, lengthForm: 16), 1002 },
        { "64-bit length under 65536", ClientFrame.Build(0x1, "short"u8, lengthForm: 64), 1002 },
        { "64-bit length with the top bit", ClientFrame.Build(0x2, [], lengthForm: 64, declaredLength: long.MinValue), 1002 },
        { "one message over 1 MiB", ClientFrame.Build(0x2, [], declaredLength: 1024 * 1024 + 1), 1009 },
        { "fragments over 1 MiB", Concat(ClientFrame.Build(0x2, new byte[1024 * 1024], fin: false), ClientFrame.Build(0x0, [], declaredLength: 1)), 1009 },
        { "invalid utf-8", ClientFrame.Build(0x1, [0x61, 0xC0, 0x80]), 1007 },
        { "utf-8 cut by the message end", ClientFrame.Build(0x1, [0x61, 0xE2, 0x82]), 1007 },
        { "invalid utf-8 across fragments", Concat(ClientFrame.Build(0x1, [0x61, 0xED], fin: false), ClientFrame.Build(0x0, [0xA0, 0x80])), 1007 },
        { "invalid utf-8 past the command buffer", ClientFrame.Build(0x1, [.. new byte[5000], 0xFF]), 1007 },
        { "close with one byte", ClientFrame.Build(0x8, [0x03]), 1002 },
        { "close code 999", ClientFrame.Close(999), 1002 },
        { "close code 1004", ClientFrame.Close(1004), 1002 },
        { "close code 1005", ClientFrame.Close(1005), 1002 },
        { "close code 1006", ClientFrame.Close(1006), 1002 },
        { "close code 1015", ClientFrame.Close(1015), 1002 },
        { "close code 2000", ClientFrame.Close(2000), 1002 },
        { "close code 5000", ClientFrame.Close(5000), 1002 },
        { "close reason not utf-8", ClientFrame.Build(0x8, [0x03, 0xE8, 0xC0, 0x80]), 1007 },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void Every_framing_fault_gives_its_close_code_at_every_split(string name, byte[] frames, int code)
    {
        _ = name;
        var expected = $"error:{code}";
        Assert.Equal(expected, FrameFeeder.Feed(frames).Last());
        // Large payloads make every offset slow; the header region is where the state machine is.
        int limit = Math.Min(frames.Length, 64);
        for (int cut = 1; cut < limit; cut++)
            Assert.Equal(expected, FrameFeeder.Feed(frames, cut).Last());
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(1003)]
    [InlineData(1007)]
    [InlineData(1011)]
    [InlineData(1014)]
    [InlineData(3000)]
    [InlineData(4999)]
    public void Valid_close_codes_are_accepted(int code) =>
        Assert.Equal([$"close:{code}"], FrameFeeder.Feed(ClientFrame.Close(code, "ok")));

    [Fact]
    public void An_empty_close_has_no_status() =>
        Assert.Equal(["close:1005"], FrameFeeder.Feed(ClientFrame.Build(0x8, [])));

    [Fact]
    public void A_message_of_exactly_1_MiB_is_accepted()
    {
        var frames = Concat(ClientFrame.Build(0x2, new byte[512 * 1024], fin: false), ClientFrame.Build(0x0, new byte[512 * 1024]));
        Assert.Equal([$"binary({1024 * 1024})"], FrameFeeder.Feed(frames));
    }

    [Fact]
    public void A_long_text_message_is_checked_but_kept_only_up_to_the_command_buffer()
    {
        var text = string.Concat(Enumerable.Repeat("é", 3000));
        var events = FrameFeeder.Feed(ClientFrame.Build(0x1, Encoding.UTF8.GetBytes(text)));
        var only = Assert.Single(events);
        Assert.EndsWith("…(6000)", only);
    }

    [Fact]
    public void After_a_fault_the_reader_stays_failed()
    {
        using var reader = new WebSocketFrameReader();
        var bytes = Concat(ClientFrame.Build(0x1, "x"u8, masked: false), ClientFrame.Text("ok"));
        var sequence = new System.Buffers.ReadOnlySequence<byte>(bytes);
        var sr = new System.Buffers.SequenceReader<byte>(sequence);
        Assert.Equal(WebSocketReadStatus.Error, reader.Read(ref sr).Status);
        Assert.Equal(WebSocketReadStatus.Error, reader.Read(ref sr).Status);
        Assert.Equal(WebSocketFrameReaderState.Failed, reader.State);
    }

    [Fact]
    public void Unmasking_matches_the_byte_by_byte_definition_at_every_offset()
    {
        var random = new Random(6455);
        var source = new byte[37];
        random.NextBytes(source);
        byte[] key = [0x12, 0x34, 0x56, 0x78];
        uint mask = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(key);
        for (int offset = 0; offset < 8; offset++)
        {
            var fast = new byte[source.Length];
            WebSocketFrameReader.Unmask(source, fast, mask, offset);
            var slow = source.Select((b, i) => (byte)(b ^ key[(offset + i) & 3])).ToArray();
            Assert.Equal(slow, fast);
        }
    }

    [Fact]
    public void Reading_frames_allocates_nothing()
    {
        using var reader = new WebSocketFrameReader();
        var frames = Concat(ClientFrame.Text("{\"subscribe\":\"stats\"}"), ClientFrame.Build(0x9, "p"u8), ClientFrame.Build(0x2, new byte[2000]));
        var sequence = new System.Buffers.ReadOnlySequence<byte>(frames);
        void ReadAll()
        {
            var sr = new System.Buffers.SequenceReader<byte>(sequence);
            while (reader.Read(ref sr).Status != WebSocketReadStatus.NeedMore) { }
        }
        ReadAll();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) ReadAll();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Under 1 B per operation: nothing per operation, while a one-off runtime allocation (40 B seen under
        // load in the trace bus tests) cannot fail the test.
        Assert.True(allocated < 100, $"{allocated} B for {100} operations");
    }
}
