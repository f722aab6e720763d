using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using BenchmarkDotNet.Attributes;
using MailerQ.Www.Http;
using MailerQ.Www.Http.Parsing;
using MailerQ.Www.Http.Responses;
using MailerQ.Www.Http.Routing;

namespace MailerQ.Www.Bench.Http;

/// <summary>
/// One request's CPU path without the socket: parse a typical browser GET (≈ 500 B of headers),
/// route it, build a small response and write it into a pipe. The goal is 0 B allocated per request.
/// </summary>
[MemoryDiagnoser]
public class RequestCycleBenchmarks
{
    private static readonly byte[] BrowserGet = Encoding.ASCII.GetBytes(
        "GET /api/stats HTTP/1.1\r\n" +
        "Host: mailerq.example.com:8485\r\n" +
        "Connection: keep-alive\r\n" +
        "sec-ch-ua: \"Chromium\";v=\"156\", \"Not)A;Brand\";v=\"24\"\r\n" +
        "sec-ch-ua-mobile: ?0\r\n" +
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36\r\n" +
        "Accept: application/json\r\n" +
        "X-Requested-With: XMLHttpRequest\r\n" +
        "Sec-Fetch-Site: same-origin\r\n" +
        "Sec-Fetch-Mode: cors\r\n" +
        "Referer: http://mailerq.example.com:8485/\r\n" +
        "Accept-Encoding: gzip, deflate, br\r\n" +
        "Accept-Language: en-US,en;q=0.9\r\n" +
        "Cookie: mq_session=4f7c0e4b9a1d2c3b4a5f6e7d8c9b0a1f\r\n\r\n");

    private readonly HttpRequestParser _parser = new();
    private readonly HttpRequestHead _head = new();
    private readonly HttpResponse _response = new();
    private readonly Router _router = new();
    private readonly HttpContext _context = new();
    private Pipe _pipe = null!;

    [GlobalSetup]
    public void Setup()
    {
        _router.Map(HttpMethod.Get, "/api/stats", static ctx =>
        {
            ctx.Response.SetContentType(HttpResponse.ApplicationJson);
            ctx.Response.Write("{\"connects\":0,\"attempts\":0,\"deliveries\":0}"u8);
            return ValueTask.CompletedTask;
        });
        _pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    }

    [Benchmark(Description = "parse browser GET")]
    public bool ParseBrowserGet()
    {
        _parser.Reset();
        _head.Reset();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(BrowserGet));
        return _parser.ParseHead(ref reader, _head, out _) == ParseStatus.Done;
    }

    [Benchmark(Description = "write small response")]
    public long WriteSmallResponse()
    {
        _response.Begin();
        _response.SetContentType(HttpResponse.TextPlain);
        _response.Write("ok"u8);
        ResponseWriter.Write(_pipe.Writer, _response, _head, keepAlive: true);
        return Drain();
    }

    [Benchmark(Description = "parse + route + respond")]
    public long FullCycle()
    {
        var context = _context;
        var parser = context.Parser;
        parser.Reset();
        context.Request.Reset();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(BrowserGet));
        parser.ParseHead(ref reader, context.Request, out _);
        context.Response.Begin();
        _router.TryMatch(context, out var handler, out _);
        handler(context).GetAwaiter().GetResult();
        ResponseWriter.Write(_pipe.Writer, context.Response, context.Request, keepAlive: true);
        return Drain();
    }

    private long Drain()
    {
        _pipe.Writer.FlushAsync().GetAwaiter().GetResult();
        _pipe.Reader.TryRead(out var result);
        long length = result.Buffer.Length;
        _pipe.Reader.AdvanceTo(result.Buffer.End);
        return length;
    }
}
