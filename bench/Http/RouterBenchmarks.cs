using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using MailerQ.Www.Http;
using MailerQ.Www.Http.Parsing;
using MailerQ.Www.Http.Routing;

namespace MailerQ.Www.Bench.Http;

/// <summary>
/// Routing alone (issue 10 point 1): a table the size of the console's (40 exact routes over four methods, six
/// prefixes) and three lookups, an exact API path, a prefix path (a message id after <c>/api/messages/</c>) and a
/// miss that must check the other methods to tell 404 from 405. The request heads are parsed once in setup.
/// </summary>
[MemoryDiagnoser]
public class RouterBenchmarks
{
    private readonly Router _router = new();
    private readonly HttpContext _exact = new();
    private readonly HttpContext _prefix = new();
    private readonly HttpContext _miss = new();

    [GlobalSetup]
    public void Setup()
    {
        static ValueTask Handler(HttpContext context) => ValueTask.CompletedTask;
        string[] areas = ["stats", "domains", "ips", "tags", "throttles", "pauses", "errors", "dkim", "cluster", "logs"];
        var methods = new[] { HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete };
        for (int i = 0; i < areas.Length; i++)
        {
            foreach (var method in methods)
                _router.Map(method, "/api/" + areas[i], Handler);
        }
        foreach (var prefix in new[] { "/api/smtp/sessions/", "/api/messages/", "/render/", "/api/domains/", "/api/ips/", "/api/tags/" })
            _router.MapPrefix(HttpMethod.Get, prefix, Handler);
        Parse(_exact, "GET /api/throttles HTTP/1.1\r\nHost: mq\r\n\r\n");
        Parse(_prefix, "GET /api/messages/01a21c60d80675b08c59a594e3da33cd HTTP/1.1\r\nHost: mq\r\n\r\n");
        Parse(_miss, "PATCH /api/throttles HTTP/1.1\r\nHost: mq\r\n\r\n");
    }

    private static void Parse(HttpContext context, string request)
    {
        context.Parser.Reset();
        context.Request.Reset();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(request)));
        if (context.Parser.ParseHead(ref reader, context.Request, out _) != ParseStatus.Done)
            throw new InvalidOperationException("setup request did not parse: " + request);
    }

    [Benchmark(Description = "exact route")]
    public bool Exact() => _router.TryMatch(_exact, out _, out _);

    [Benchmark(Description = "prefix route (message id)")]
    public bool Prefix() => _router.TryMatch(_prefix, out _, out _);

    [Benchmark(Description = "no route, other method matches (405)")]
    public bool Miss() => !_router.TryMatch(_miss, out _, out bool other) && other;
}
