using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using BenchmarkDotNet.Attributes;
using MailerQ.Www.Http.WebSockets;

namespace MailerQ.Www.Bench.Http;

/// <summary>
/// Server frame encoding and client frame decoding (masked, as browsers send them). Target: 0 B per
/// frame (STYLE.md rule 9); decode reuses one reader as a session does.
/// </summary>
[MemoryDiagnoser]
public class WebSocketFrameBenchmarks
{
    private readonly WebSocketFrameReader _reader = new();
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private readonly byte[] _header = new byte[10];
    private byte[] _stats = [];
    private byte[] _trace = [];
    private ReadOnlySequence<byte> _command;
    private ReadOnlySequence<byte> _fragmented;
    private ReadOnlySequence<byte> _binary16K;
    private ReadOnlySequence<byte> _commands64;

    [GlobalSetup]
    public void Setup()
    {
        _stats = Encoding.UTF8.GetBytes("{\"stats\":{\"http.connections\":3,\"http.websockets\":1,\"trace.chunks\":1200},\"time\":1767225600000,\"dropped\":0,\"droppedTotal\":0}");
        _trace = new byte[16 * 1024];
        var command = Masked(0x81, Encoding.UTF8.GetBytes("{\"subscribe\":\"smtp\",\"direction\":\"in\"}"));
        _command = new ReadOnlySequence<byte>(command);
        var text = Encoding.UTF8.GetBytes("{\"subscribe\":\"smtp\",\"peer\":\"2001:db8::25\"}");
        byte[] fragments = [.. Masked(0x01, text[..10]), .. Masked(0x00, text[10..30]), .. Masked(0x80, text[30..])];
        _fragmented = BenchSegment.Split(fragments, 16);
        _binary16K = BenchSegment.Split(Masked(0x82, new byte[16 * 1024]), 4096);
        _commands64 = new ReadOnlySequence<byte>(Enumerable.Repeat(command, 64).SelectMany(c => c).ToArray());
    }

    private static byte[] Masked(byte first, byte[] payload)
    {
        byte[] mask = [0x11, 0x22, 0x33, 0x44];
        var frame = new List<byte> { first };
        if (payload.Length < 126)
        {
            frame.Add((byte)(0x80 | payload.Length));
        }
        else
        {
            frame.Add(0x80 | 126);
            var length = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)payload.Length);
            frame.AddRange(length);
        }
        frame.AddRange(mask);
        for (int i = 0; i < payload.Length; i++) frame.Add((byte)(payload[i] ^ mask[i & 3]));
        return [.. frame];
    }

    [GlobalCleanup]
    public void Cleanup() => _reader.Dispose();

    [Benchmark]
    public int Encode_trace_prefix() => WebSocketFrameWriter.TracePrefix(_header, 532);

    [Benchmark]
    public int Encode_stats_frame()
    {
        _output.ResetWrittenCount();
        WebSocketFrameWriter.WriteFrame(_output, WebSocketOpcode.Text, _stats);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int Encode_16K_binary_frame()
    {
        _output.ResetWrittenCount();
        WebSocketFrameWriter.WriteFrame(_output, WebSocketOpcode.Binary, _trace);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int Encode_close()
    {
        _output.ResetWrittenCount();
        WebSocketFrameWriter.WriteClose(_output, WebSocketCloseCode.PolicyViolation, "too slow to keep up with the trace"u8);
        return _output.WrittenCount;
    }

    [Benchmark(Baseline = true)]
    public int Decode_command() => (int)ReadAll(_command);

    [Benchmark]
    public int Decode_fragmented_command_segmented() => (int)ReadAll(_fragmented);

    [Benchmark]
    public int Decode_16K_binary_segmented() => (int)ReadAll(_binary16K);

    [Benchmark(OperationsPerInvoke = 64)]
    public int Decode_64_pipelined_commands() => (int)ReadAll(_commands64);

    private WebSocketReadStatus ReadAll(ReadOnlySequence<byte> input)
    {
        var reader = new SequenceReader<byte>(input);
        WebSocketReadStatus last;
        do
        {
            last = _reader.Read(ref reader).Status;
        }
        while (last != WebSocketReadStatus.NeedMore);
        return last;
    }
}
