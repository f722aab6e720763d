using System.Buffers;
using MailerQ.Www.Http.Parsing;

namespace MailerQ.Www.Http.Tests.Parsing;

/// <summary>
/// Drives the parsers the way the connection loop will: parse heads, read Content-Length bodies,
/// decode chunked ones, reset and go on with the next pipelined request. Input arrives in feeds; what
/// a feed leaves unconsumed is kept and handed back together with the next feed, as a pipe does.
/// </summary>
internal sealed class ConnectionSimulator
{
    private readonly HttpRequestParser _parser = new();
    private readonly HttpRequestHead _head = new();
    private readonly ChunkedBodyDecoder _decoder = new();
    private readonly ArrayBufferWriter<byte> _body = new();
    private readonly long _maxBodyBytes;
    private long _fixedBodyLeft = -1;
    private bool _inChunkedBody;

    public ConnectionSimulator(long maxBodyBytes = HttpLimits.MaxApiBodyBytes) => _maxBodyBytes = maxBodyBytes;

    public Transcript Transcript { get; } = new();

    /// <summary>Parses everything in one sequence, possibly made of many segments.</summary>
    public static Transcript Run(ReadOnlySequence<byte> input, long maxBodyBytes = HttpLimits.MaxApiBodyBytes)
    {
        var sim = new ConnectionSimulator(maxBodyBytes);
        SequencePosition consumed = sim.Process(input);
        return sim.Finish(input.Slice(consumed).Length);
    }

    /// <summary>
    /// Feeds the input cut at <paramref name="cuts"/>; each call sees the previous remainder plus the
    /// new bytes, either as two segments or copied into one (<paramref name="contiguous"/>).
    /// </summary>
    public static Transcript RunIncrementally(byte[] input, int[] cuts, bool contiguous, long maxBodyBytes = HttpLimits.MaxApiBodyBytes)
    {
        var sim = new ConnectionSimulator(maxBodyBytes);
        byte[] remainder = [];
        int start = 0;
        for (int i = 0; i <= cuts.Length && !sim.Transcript.Failed; i++)
        {
            int end = i < cuts.Length ? cuts[i] : input.Length;
            ReadOnlyMemory<byte> fresh = input.AsMemory(start, end - start);
            start = end;
            ReadOnlySequence<byte> buffer = contiguous
                ? new ReadOnlySequence<byte>([.. remainder, .. fresh.Span])
                : Sequences.FromParts(remainder, fresh);
            SequencePosition consumed = sim.Process(buffer);
            remainder = buffer.Slice(consumed).ToArray();
        }

        return sim.Finish(remainder.Length);
    }

    /// <summary>One feed per byte.</summary>
    public static Transcript RunBytewise(byte[] input, bool contiguous = false)
    {
        var cuts = new int[Math.Max(0, input.Length - 1)];
        for (int i = 0; i < cuts.Length; i++)
            cuts[i] = i + 1;
        return RunIncrementally(input, cuts, contiguous);
    }

    private Transcript Finish(long leftover)
    {
        Transcript.Leftover = leftover;
        if (!Transcript.Failed)
        {
            string where = _inChunkedBody ? $"chunked body {_decoder.State}" : _fixedBodyLeft > 0 ? $"body, {_fixedBodyLeft} left" : $"head {_parser.State}";
            Transcript.Events.Add($"end in {where}, {leftover} bytes unconsumed");
        }

        return Transcript;
    }

    /// <summary>Consumes what it can; returns how far (the caller's AdvanceTo).</summary>
    private SequencePosition Process(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (!Transcript.Failed)
        {
            if (_inChunkedBody)
            {
                ParseStatus status = _decoder.Decode(ref reader, _body, _maxBodyBytes, out RequestRejection rejection);
                if (status == ParseStatus.NeedMore)
                    return reader.Position;
                if (status == ParseStatus.Error)
                    return Fail(rejection, reader.Position);
                _inChunkedBody = false;
                EndBody();
            }
            else if (_fixedBodyLeft > 0)
            {
                long n = Math.Min(_fixedBodyLeft, reader.Remaining);
                _body.Write(reader.UnreadSequence.Slice(0, n).ToArray());
                reader.Advance(n);
                _fixedBodyLeft -= n;
                if (_fixedBodyLeft > 0)
                    return reader.Position;
                EndBody();
            }
            else
            {
                ParseStatus status = _parser.ParseHead(ref reader, _head, out RequestRejection rejection);
                if (status == ParseStatus.NeedMore)
                {
                    Assert.Equal(RequestRejection.None, rejection);
                    return reader.Position;
                }

                if (status == ParseStatus.Error)
                    return Fail(rejection, reader.Position);
                Assert.Equal(RequestRejection.None, rejection);
                var snapshot = HeadSnapshot.From(_head);
                Transcript.Heads.Add(snapshot);
                Transcript.Events.Add("head " + snapshot);
                if (_head.IsChunked)
                {
                    _decoder.Reset();
                    _inChunkedBody = true;
                }
                else if (_head.ContentLength > 0)
                {
                    _fixedBodyLeft = _head.ContentLength;
                }
                else
                {
                    _parser.Reset();
                }
            }
        }

        return reader.Position;
    }

    private void EndBody()
    {
        string body = Sequences.Text(_body.WrittenSpan);
        Transcript.Bodies.Add(body);
        Transcript.Events.Add("body " + body);
        _body.ResetWrittenCount();
        _fixedBodyLeft = -1;
        _parser.Reset();
    }

    private SequencePosition Fail(RequestRejection rejection, SequencePosition position)
    {
        Assert.NotEqual(RequestRejection.None, rejection);
        Transcript.Rejection = rejection;
        Transcript.Events.Add($"error {rejection} {rejection.StatusCode()}");
        return position;
    }
}
