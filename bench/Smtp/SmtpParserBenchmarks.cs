using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using MailerQ.Www.Bench.Http;
using MailerQ.Www.Smtp.Protocol;

namespace MailerQ.Www.Bench.Smtp;

/// <summary>
/// The inbound hot paths without the socket: splitting a pipelined command batch into lines and verbs,
/// and DATA's dot-unstuffing into a sink. The goal is 0 B allocated per command and per message line.
/// </summary>
[MemoryDiagnoser]
public class SmtpParserBenchmarks
{
    // A typical pipelined transaction (RFC 2920): what one client write carries.
    private static readonly byte[] Commands = Encoding.ASCII.GetBytes(
        "MAIL FROM:<newsletter@example.org> SIZE=48213 BODY=8BITMIME\r\n" +
        "RCPT TO:<alice@example.net> NOTIFY=FAILURE\r\n" +
        "RCPT TO:<bob@example.net>\r\n" +
        "RCPT TO:<carol@example.com>\r\n" +
        "DATA\r\n" +
        "NOOP\r\n" +
        "RSET\r\n" +
        "QUIT\r\n");

    private static readonly byte[] Message = BuildMessage();

    private readonly byte[] _scratch = new byte[SmtpLimits.CommandLine];
    private readonly DotUnstuffer _unstuffer = new();
    private readonly CountingSink _sink = new();
    private ReadOnlySequence<byte> _commands;
    private ReadOnlySequence<byte> _message;
    private ReadOnlySequence<byte> _messageSegmented;

    private static byte[] BuildMessage()
    {
        var sb = new StringBuilder();
        sb.Append("From: News <newsletter@example.org>\r\nTo: alice@example.net\r\nSubject: June news\r\n\r\n");
        for (int i = 0; i < 200; i++)
            sb.Append(i % 10 == 0 ? "..a line that starts with a dot, stuffed by the client\r\n" : "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\r\n");
        sb.Append(".\r\n");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    [GlobalSetup]
    public void Setup()
    {
        _commands = new ReadOnlySequence<byte>(Commands);
        _message = new ReadOnlySequence<byte>(Message);
        // Pipe segments are 4 KiB (BlockMemoryPool), so lines and the terminator straddle them.
        _messageSegmented = BenchSegment.Split(Message, 4096);
    }

    /// <summary>8 commands: line split with the 512-octet cap, verb recognition, argument slice.</summary>
    [Benchmark(OperationsPerInvoke = 8)]
    public int ParseCommands()
    {
        var reader = new SequenceReader<byte>(_commands);
        int total = 0;
        while (SmtpLineReader.TryRead(ref reader, SmtpLimits.CommandLine, _scratch, out var line) == LineStatus.Done)
        {
            SmtpCommandParser.TryMake(line, out var command);
            total += (int)command.Kind + command.Argument(line).Length;
        }
        return total;
    }

    /// <summary>A 16 KB message of 204 lines in one segment; per line.</summary>
    [Benchmark(OperationsPerInvoke = 204)]
    public long UnstuffMessage() => Unstuff(_message);

    /// <summary>The same message in 4 KiB pipe segments; per line.</summary>
    [Benchmark(OperationsPerInvoke = 204)]
    public long UnstuffSegmentedMessage() => Unstuff(_messageSegmented);

    private long Unstuff(ReadOnlySequence<byte> data)
    {
        _unstuffer.Reset(long.MaxValue);
        var reader = new SequenceReader<byte>(data);
        _unstuffer.Decode(ref reader, _sink);
        return _unstuffer.Size;
    }

    private sealed class CountingSink : IMessageSink
    {
        public long Bytes;

        public void Write(ReadOnlySpan<byte> bytes) => Bytes += bytes.Length;
    }
}
