using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using MailerQ.Www.Http.Parsing;

namespace MailerQ.Www.Bench.Http;

/// <summary>
/// The request-head parser and chunked decoder on realistic input. Target: 0 B allocated per request
/// (STYLE.md rule 9). Each benchmark resets and reuses one parser and head, as a connection does.
/// </summary>
[MemoryDiagnoser]
public class RequestParserBenchmarks
{
    private const string BrowserGetText =
        "GET /console/messages?page=2&sort=date HTTP/1.1\r\n" +
        "Host: mailerq.example.com:8485\r\n" +
        "Connection: keep-alive\r\n" +
        "sec-ch-ua: \"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\"\r\n" +
        "sec-ch-ua-mobile: ?0\r\n" +
        "sec-ch-ua-platform: \"Linux\"\r\n" +
        "Upgrade-Insecure-Requests: 1\r\n" +
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36\r\n" +
        "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8\r\n" +
        "Sec-Fetch-Site: same-origin\r\n" +
        "Sec-Fetch-Mode: navigate\r\n" +
        "Sec-Fetch-User: ?1\r\n" +
        "Sec-Fetch-Dest: document\r\n" +
        "Referer: https://mailerq.example.com:8485/console/\r\n" +
        "Accept-Encoding: gzip, deflate, br, zstd\r\n" +
        "Accept-Language: en-US,en;q=0.9,nl;q=0.8\r\n" +
        "Cookie: mq_session=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg; mq_theme=dark\r\n" +
        "If-None-Match: W/\"5e1f-18c2a3b4\"\r\n" +
        "\r\n";

    private const string Json = "{\"recipients\":[\"a@example.com\",\"b@example.com\"],\"subject\":\"hello\",\"priority\":3,\"body\":\"Lorem ipsum dolor sit amet, consectetur adipiscing elit.\"}";

    private const int PipelineDepth = 16;

    private readonly HttpRequestParser _parser = new();
    private readonly HttpRequestHead _head = new();
    private readonly ChunkedBodyDecoder _decoder = new();
    private readonly ArrayBufferWriter<byte> _sink = new(4096);
    private ReadOnlySequence<byte> _browserGet;
    private ReadOnlySequence<byte> _browserGetSegmented;
    private ReadOnlySequence<byte> _apiPost;
    private ReadOnlySequence<byte> _apiPostChunked;
    private ReadOnlySequence<byte> _pipelined;

    [GlobalSetup]
    public void Setup()
    {
        string apiHead =
            "POST /api/messages HTTP/1.1\r\n" +
            "Host: mailerq.example.com:8485\r\n" +
            "Content-Type: application/json\r\n" +
            "Origin: https://mailerq.example.com:8485\r\n" +
            "X-CSRF-Token: 7c1d9e0a4b\r\n" +
            "X-Requested-With: XMLHttpRequest\r\n" +
            "Cookie: mq_session=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg\r\n";
        string half = Json[..(Json.Length / 2)];
        string rest = Json[(Json.Length / 2)..];

        _browserGet = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(BrowserGetText));

        // 4 KiB-ish pipe segments would rarely split a head; 128 B makes most lines straddle.
        _browserGetSegmented = BenchSegment.Split(Encoding.ASCII.GetBytes(BrowserGetText), 128);
        _apiPost = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(apiHead + "Content-Length: " + Json.Length + "\r\n\r\n" + Json));
        _apiPostChunked = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(
            apiHead + "Transfer-Encoding: chunked\r\n\r\n" + $"{half.Length:x}\r\n{half}\r\n{rest.Length:x}\r\n{rest}\r\n0\r\n\r\n"));
        _pipelined = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(BrowserGetText, PipelineDepth))));
    }

    [GlobalCleanup]
    public void Cleanup() => _head.Dispose();

    [Benchmark(Baseline = true, Description = "browser GET")]
    public int BrowserGet() => ParseOne(_browserGet);

    [Benchmark(Description = "browser GET, 128 B segments")]
    public int BrowserGetSegmented() => ParseOne(_browserGetSegmented);

    [Benchmark(Description = "API POST, JSON body")]
    public long ApiPost()
    {
        var reader = new SequenceReader<byte>(_apiPost);
        _parser.Reset();
        _parser.ParseHead(ref reader, _head, out _);

        // The server copies Content-Length bytes itself; this is that copy.
        _sink.ResetWrittenCount();
        ReadOnlySequence<byte> body = reader.UnreadSequence.Slice(0, _head.ContentLength);
        foreach (ReadOnlyMemory<byte> segment in body)
            _sink.Write(segment.Span);
        return _sink.WrittenCount;
    }

    [Benchmark(Description = "API POST, chunked JSON body")]
    public long ApiPostChunked()
    {
        var reader = new SequenceReader<byte>(_apiPostChunked);
        _parser.Reset();
        _parser.ParseHead(ref reader, _head, out _);
        _decoder.Reset();
        _sink.ResetWrittenCount();
        _decoder.Decode(ref reader, _sink, HttpLimits.MaxApiBodyBytes, out _);
        return _decoder.BodyBytes;
    }

    [Benchmark(OperationsPerInvoke = PipelineDepth, Description = "pipelined batch of 16 GETs (per request)")]
    public int Pipelined()
    {
        var reader = new SequenceReader<byte>(_pipelined);
        int count = 0;
        while (!reader.End)
        {
            _parser.Reset();
            if (_parser.ParseHead(ref reader, _head, out _) != ParseStatus.Done)
                break;
            count++;
        }

        return count;
    }

    private int ParseOne(ReadOnlySequence<byte> input)
    {
        var reader = new SequenceReader<byte>(input);
        _parser.Reset();
        _parser.ParseHead(ref reader, _head, out _);
        return _head.HeaderCount;
    }
}
