using System.Buffers;
using MailerQ.Www.Http.Parsing;
using static MailerQ.Www.Http.Tests.Parsing.SampleRequests;
using HttpMethod = MailerQ.Www.Http.Parsing.HttpMethod;

namespace MailerQ.Www.Http.Tests.Parsing;

/// <summary>What the parser makes of well-formed requests, and how it treats the reader and the head.</summary>
public sealed class RequestParserTests
{
    private static Transcript Parse(string name) => ConnectionSimulator.Run(new ReadOnlySequence<byte>(Sequences.Bytes(RequestCorpus.Valid[name])));

    [Fact]
    public void Parses_a_typical_browser_GET()
    {
        var head = new HttpRequestHead();
        var parser = new HttpRequestParser();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Sequences.Bytes(BrowserGet)));

        Assert.Equal(ParseStatus.Done, parser.ParseHead(ref reader, head, out RequestRejection rejection));
        Assert.Equal(RequestRejection.None, rejection);
        Assert.True(reader.End);
        Assert.Equal(BrowserGet.Length, parser.ConsumedBytes);
        Assert.Equal(HttpMethod.Get, head.Method);
        Assert.Equal("GET", Sequences.Text(head.MethodBytes));
        Assert.Equal(HttpVersion.Http11, head.Version);
        Assert.Equal(RequestTargetForm.Origin, head.TargetForm);
        Assert.Equal("/console/messages?page=2&sort=date", Sequences.Text(head.Target));
        Assert.Equal("/console/messages", Sequences.Text(head.Path));
        Assert.Equal("page=2&sort=date", Sequences.Text(head.Query));
        Assert.True(head.HasQuery);
        Assert.Equal("mailerq.example.com:8485", Sequences.Text(head.Host));
        Assert.Equal("mailerq.example.com:8485", Sequences.Text(head.Authority));
        Assert.Equal("mq_session=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg; mq_theme=dark", Sequences.Text(head.Cookie));
        Assert.StartsWith("Mozilla/5.0 (X11; Linux x86_64)", Sequences.Text(head.UserAgent));
        Assert.StartsWith("text/html,", Sequences.Text(head.Accept));
        Assert.Equal("gzip, deflate, br, zstd", Sequences.Text(head.AcceptEncoding));
        Assert.Equal("W/\"5e1f-18c2a3b4\"", Sequences.Text(head.IfNoneMatch));
        Assert.Equal("https://mailerq.example.com:8485/console/", Sequences.Text(head.Referer));
        Assert.True(head.IfModifiedSince.IsEmpty);
        Assert.False(head.HasHeader(KnownHeader.IfModifiedSince));
        Assert.Equal(17, head.HeaderCount);
        Assert.Equal("Host", Sequences.Text(head.HeaderName(0)));
        Assert.Equal("If-None-Match", Sequences.Text(head.HeaderName(16)));
        Assert.Equal(-1, head.ContentLength);
        Assert.False(head.IsChunked);
        Assert.False(head.HasBody);
        Assert.Equal(ConnectionOptions.KeepAlive, head.Connection);
        Assert.True(head.KeepAlive);
        Assert.True(head.TryGetHeader("SEC-FETCH-MODE"u8, out ReadOnlySpan<byte> mode));
        Assert.Equal("navigate", Sequences.Text(mode));
        Assert.False(head.TryGetHeader("X-Missing"u8, out _));
    }

    [Fact]
    public void Parses_an_API_POST_and_leaves_the_reader_at_the_body()
    {
        var head = new HttpRequestHead();
        var parser = new HttpRequestParser();
        byte[] input = Sequences.Bytes(ApiPost);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));

        Assert.Equal(ParseStatus.Done, parser.ParseHead(ref reader, head, out _));
        Assert.Equal(ApiJson, Sequences.Text(reader.UnreadSequence.ToArray()));
        Assert.Equal(HttpMethod.Post, head.Method);
        Assert.Equal(ApiJson.Length, head.ContentLength);
        Assert.True(head.HasBody);
        Assert.Equal("application/json", Sequences.Text(head.ContentType));
        Assert.Equal("https://mailerq.example.com:8485", Sequences.Text(head.Origin));
        Assert.Equal("7c1d9e0a4b", Sequences.Text(head.XCsrfToken));
        Assert.Equal("XMLHttpRequest", Sequences.Text(head.XRequestedWith));
        Assert.Equal([ApiJson], Parse("API POST with Content-Length").Bodies);
    }

    [Fact]
    public void Parses_pipelined_requests_one_after_the_other()
    {
        Transcript t = Parse("pipelined");
        Assert.Equal(["/one", "/two", "/three"], t.Heads.Select(h => h.Path));
        Assert.Equal(["abc"], t.Bodies);
        Assert.Equal([true, true, false], t.Heads.Select(h => h.KeepAlive));
        Assert.Equal(0, t.Leftover);
    }

    [Fact]
    public void Decodes_a_chunked_POST_body()
    {
        Transcript t = Parse("POST chunked");
        Assert.True(t.SingleHead.IsChunked);
        Assert.Equal(-1, t.SingleHead.ContentLength);
        Assert.Equal(["hello, world"], t.Bodies);
    }

    [Theory]
    [InlineData("absolute-form", "/a/b", "x=1", true, "Example.com:8485", "ignored.example")]
    [InlineData("absolute-form https upper-case scheme", "/p", "", false, "example.com", "example.com")]
    [InlineData("absolute-form without path", "/", "", false, "example.com", "example.com")]
    [InlineData("absolute-form with query, no path", "/", "q=1", true, "example.com", "example.com")]
    public void Takes_path_and_authority_from_an_absolute_form_target(string name, string path, string query, bool hasQuery, string authority, string host)
    {
        HeadSnapshot h = Parse(name).SingleHead;
        Assert.Equal(RequestTargetForm.Absolute, h.Form);
        Assert.Equal(path, h.Path);
        Assert.Equal(query, h.Query);
        Assert.Equal(hasQuery, h.HasQuery);
        Assert.Equal(authority, h.Authority);
        Assert.Equal(host, h.Host);
    }

    [Fact]
    public void Accepts_asterisk_form_for_OPTIONS()
    {
        HeadSnapshot h = Parse("OPTIONS *").SingleHead;
        Assert.Equal((HttpMethod.Options, RequestTargetForm.Asterisk, "*", "*", false), (h.Method, h.Form, h.Target, h.Path, h.HasQuery));
    }

    [Fact]
    public void Accepts_authority_form_for_CONNECT()
    {
        HeadSnapshot h = Parse("CONNECT authority-form").SingleHead;
        Assert.Equal((HttpMethod.Connect, RequestTargetForm.Authority, "example.com:443", ""), (h.Method, h.Form, h.Authority, h.Path));
        Assert.Equal("[2001:db8::1]:443", Parse("CONNECT IPv6").SingleHead.Authority);
    }

    [Theory]
    [InlineData("HTTP/1.0 without keep-alive", "1.0", "None", false)]
    [InlineData("HTTP/1.0 keep-alive", "1.0", "KeepAlive", true)]
    [InlineData("HTTP/1.0 keep-alive and close", "1.0", "Close, KeepAlive", false)]
    [InlineData("HTTP/1.1 close", "1.1", "Close", false)]
    [InlineData("minimal GET", "1.1", "None", true)]
    [InlineData("connection options on two lines", "1.1", "KeepAlive, Upgrade", true)]
    public void Decides_keep_alive_by_version_and_Connection_options(string name, string version, string options, bool keepAlive)
    {
        HeadSnapshot h = Parse(name).SingleHead;
        Assert.Equal(version == "1.0" ? HttpVersion.Http10 : HttpVersion.Http11, h.Version);
        Assert.Equal(options, h.Connection.ToString());
        Assert.Equal(keepAlive, h.KeepAlive);
    }

    [Fact]
    public void Recognises_the_websocket_handshake_fields()
    {
        var head = ParseOne(RequestCorpus.Valid["websocket handshake"]);
        Assert.Equal("websocket", Sequences.Text(head.Upgrade));
        Assert.Equal("dGhlIHNhbXBsZSBub25jZQ==", Sequences.Text(head.SecWebSocketKey));
        Assert.Equal("13", Sequences.Text(head.SecWebSocketVersion));
        Assert.Equal("http://a:8485", Sequences.Text(head.Origin));
        Assert.Equal(ConnectionOptions.Upgrade, head.Connection);
    }

    [Theory]
    [InlineData("empty query", "/a", "", true)]
    [InlineData("query with slash and question mark", "/a/b", "c=/d?e", true)]
    [InlineData("minimal GET", "/", "", false)]
    [InlineData("raw braces and UTF-8 in target", "/{x}|^/caf\u00c3\u00a9", "", false)]
    public void Splits_path_and_query_at_the_first_question_mark(string name, string path, string query, bool hasQuery)
    {
        HeadSnapshot h = Parse(name).SingleHead;
        Assert.Equal((path, query, hasQuery), (h.Path, h.Query, h.HasQuery));
    }

    [Theory]
    [InlineData("Content-Length list of one value", 5L, "12345")]
    [InlineData("Content-Length repeated", 5L, "12345")]
    [InlineData("Content-Length leading zeros", 3L, "abc")]
    public void Accepts_repeated_identical_Content_Length(string name, long length, string body)
    {
        Transcript t = Parse(name);
        Assert.Equal(length, t.SingleHead.ContentLength);
        Assert.Equal([body], t.Bodies);
    }

    [Fact]
    public void Zero_Content_Length_has_no_body()
    {
        HeadSnapshot h = Parse("Content-Length zero").SingleHead;
        Assert.Equal(0, h.ContentLength);
        Assert.False(ParseOne(RequestCorpus.Valid["Content-Length zero"]).HasBody);
    }

    [Theory]
    [InlineData("Transfer-Encoding case-insensitive", "")]
    [InlineData("Transfer-Encoding with empty list elements", "x")]
    public void Accepts_chunked_as_the_only_coding(string name, string body)
    {
        Transcript t = Parse(name);
        Assert.True(t.SingleHead.IsChunked);
        Assert.Equal([body], t.Bodies);
    }

    [Fact]
    public void Keeps_obs_text_in_values_and_trims_OWS()
    {
        var head = ParseOne(RequestCorpus.Valid["obs-text in value"]);
        Assert.True(head.TryGetHeader("x-name"u8, out ReadOnlySpan<byte> value));
        Assert.Equal([(byte)'c', (byte)'a', (byte)'f', 0xE9, (byte)' ', 0xFF], value.ToArray());

        head = ParseOne(RequestCorpus.Valid["OWS and inner whitespace"]);
        Assert.Equal("a", Sequences.Text(head.Host));
        Assert.True(head.TryGetHeader("X-Tabs"u8, out value));
        Assert.Equal("a \t b", Sequences.Text(value));
    }

    [Fact]
    public void Keeps_empty_values_as_present()
    {
        var head = ParseOne(RequestCorpus.Valid["empty values"]);
        Assert.True(head.TryGetHeader("X-Empty"u8, out ReadOnlySpan<byte> empty));
        Assert.True(empty.IsEmpty);
        Assert.True(head.TryGetHeader("X-Blank"u8, out ReadOnlySpan<byte> blank));
        Assert.True(blank.IsEmpty);

        // RFC 9110 §7.2: an empty Host is valid when the target has no authority.
        head = ParseOne(RequestCorpus.Valid["empty Host"]);
        Assert.True(head.HasHeader(KnownHeader.Host));
        Assert.True(head.Host.IsEmpty);
    }

    [Theory]
    [InlineData("Expect 100-continue", true)]
    [InlineData("Expect 100-continue on HTTP/1.0 is ignored", false)]
    [InlineData("minimal GET", false)]
    public void Reports_Expect_100_continue_only_for_HTTP_1_1(string name, bool expected)
    {
        Assert.Equal(expected, Parse(name).SingleHead.Expect100Continue);
    }

    [Theory]
    [InlineData("unknown method", "PROPFIND")]
    [InlineData("methods are case-sensitive", "get")]
    public void Keeps_unknown_methods_as_bytes(string name, string method)
    {
        HeadSnapshot h = Parse(name).SingleHead;
        Assert.Equal((HttpMethod.Unknown, method), (h.Method, h.MethodBytes));
    }

    [Fact]
    public void Recognises_every_method()
    {
        Assert.Equal(
            [HttpMethod.Delete, HttpMethod.Put, HttpMethod.Patch, HttpMethod.Head, HttpMethod.Trace],
            Parse("every method").Heads.Select(h => h.Method));
    }

    [Fact]
    public void Skips_empty_lines_before_the_request_line()
    {
        Assert.Equal("/", Parse("empty lines before request line").SingleHead.Path);
    }

    [Fact]
    public void Accepts_exactly_the_maximum_header_count()
    {
        Assert.Equal(HttpLimits.MaxHeaderCount, Parse("exactly 100 headers").SingleHead.HeaderCount);
    }

    [Fact]
    public void Returns_NeedMore_at_the_start_of_an_incomplete_line()
    {
        var head = new HttpRequestHead();
        var parser = new HttpRequestParser();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Sequences.Bytes("GET / HTTP/1.1\r\nHost: a\r\nAcc")));

        Assert.Equal(ParseStatus.NeedMore, parser.ParseHead(ref reader, head, out RequestRejection rejection));
        Assert.Equal(RequestRejection.None, rejection);
        Assert.Equal(25, reader.Consumed);
        Assert.Equal(ParserState.Headers, parser.State);
        Assert.Equal(1, head.HeaderCount);

        // The caller keeps "Acc" and appends what arrives next; parsing goes on from the stored state.
        reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Sequences.Bytes("Accept: */*\r\n\r\n")));
        Assert.Equal(ParseStatus.Done, parser.ParseHead(ref reader, head, out _));
        Assert.Equal("*/*", Sequences.Text(head.Accept));
        Assert.Equal("a", Sequences.Text(head.Host));
        Assert.Equal(2, head.HeaderCount);
    }

    [Fact]
    public void Reports_incomplete_input_without_consuming_the_partial_line()
    {
        Transcript t = Parse("incomplete head");
        Assert.Empty(t.Heads);
        Assert.False(t.Failed);
        Assert.Equal(3, t.Leftover);
    }

    [Fact]
    public void Keeps_values_valid_after_the_input_buffer_is_reused()
    {
        byte[] input = Sequences.Bytes(BrowserGet);
        var head = new HttpRequestHead();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));
        Assert.Equal(ParseStatus.Done, new HttpRequestParser().ParseHead(ref reader, head, out _));

        // The pipe recycles its memory once the caller advanced past the head.
        input.AsSpan().Fill((byte)'#');

        Assert.Equal("/console/messages", Sequences.Text(head.Path));
        Assert.Equal("mailerq.example.com:8485", Sequences.Text(head.Host));
        Assert.Equal("Sec-Fetch-Dest", Sequences.Text(head.HeaderName(11)));
    }

    [Fact]
    public void Returns_Done_again_without_consuming_until_Reset()
    {
        var head = new HttpRequestHead();
        var parser = new HttpRequestParser();
        byte[] two = Sequences.Bytes(Head("GET /1 HTTP/1.1", "Host: a", "X-One: 1") + Head("GET /2 HTTP/1.1", "Host: b"));
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(two));

        Assert.Equal(ParseStatus.Done, parser.ParseHead(ref reader, head, out _));
        long after = reader.Consumed;
        Assert.Equal(ParseStatus.Done, parser.ParseHead(ref reader, head, out _));
        Assert.Equal(after, reader.Consumed);
        Assert.Equal("/1", Sequences.Text(head.Path));

        parser.Reset();
        Assert.Equal(ParseStatus.Done, parser.ParseHead(ref reader, head, out _));
        Assert.Equal("/2", Sequences.Text(head.Path));
        Assert.Equal("b", Sequences.Text(head.Host));
        Assert.Equal(1, head.HeaderCount);
        Assert.False(head.TryGetHeader("X-One"u8, out _));
    }

    [Fact]
    public void Grows_the_head_buffer_for_large_heads()
    {
        string cookie = new('c', 20_000);
        var head = ParseOne(Head("GET / HTTP/1.1", "Host: a", "Cookie: " + cookie, "X-After: 1"));
        Assert.Equal(cookie, Sequences.Text(head.Cookie));
        Assert.True(head.TryGetHeader("x-after"u8, out ReadOnlySpan<byte> after));
        Assert.Equal("1", Sequences.Text(after));
    }

    [Fact]
    public void Is_reusable_after_returning_its_buffer()
    {
        var head = ParseOne(BrowserGet);
        head.ReturnBuffers();
        Assert.Equal(0, head.HeaderCount);
        Assert.True(head.Path.IsEmpty);

        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Sequences.Bytes(Head("GET /again HTTP/1.1", "Host: a"))));
        Assert.Equal(ParseStatus.Done, new HttpRequestParser().ParseHead(ref reader, head, out _));
        Assert.Equal("/again", Sequences.Text(head.Path));
        head.Dispose();
    }

    [Fact]
    public void Rejects_header_index_out_of_range()
    {
        var head = ParseOne(Head("GET / HTTP/1.1", "Host: a"));
        Assert.Throws<ArgumentOutOfRangeException>(() => head.HeaderName(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => head.HeaderValue(-1));
    }

    [Fact]
    public void Leaves_the_reader_at_the_offending_line_on_error()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Sequences.Bytes("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n")));
        Assert.Equal(ParseStatus.Error, new HttpRequestParser().ParseHead(ref reader, new HttpRequestHead(), out RequestRejection rejection));
        Assert.Equal(RequestRejection.InvalidHeaderName, rejection);
        Assert.Equal(16, reader.Consumed);
    }

    private static HttpRequestHead ParseOne(string input)
    {
        var head = new HttpRequestHead();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Sequences.Bytes(input)));
        Assert.Equal(ParseStatus.Done, new HttpRequestParser().ParseHead(ref reader, head, out RequestRejection rejection));
        Assert.Equal(RequestRejection.None, rejection);
        return head;
    }
}
