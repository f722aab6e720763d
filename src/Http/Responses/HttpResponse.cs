using System.Buffers;
using System.Text;
using MailerQ.Www.Core.Buffers;

namespace MailerQ.Www.Http.Responses;

/// <summary>
/// The response a handler builds. Headers and a small body are buffered in pooled memory and written
/// to the connection in one go when the handler returns, so the server always knows the
/// Content-Length and never sends half a response. Large bodies are files streamed by the
/// connection (<see cref="SetFileBody"/>). One instance per connection, reset per request.
/// </summary>
internal sealed class HttpResponse : IDisposable
{
    private readonly PooledBufferWriter _headers = new(512);
    private readonly PooledBufferWriter _body = new(1024);
    private ReadOnlyMemory<byte> _contentType;
    private ReadOnlyMemory<byte> _fixedBody;

    /// <summary>The status code; 200 unless a handler says otherwise.</summary>
    public int StatusCode { get; set; } = 200;

    /// <summary>Set when the connection must close after this response.</summary>
    public bool CloseConnection { get; set; }

    /// <summary>A file to stream as the body instead of the buffered bytes.</summary>
    public string? FilePath { get; private set; }

    /// <summary>Length of <see cref="FilePath"/>.</summary>
    public long FileLength { get; private set; }

    /// <summary>The body length the response announces.</summary>
    public long ContentLength => FilePath is not null ? FileLength : _fixedBody.Length > 0 ? _fixedBody.Length : _body.WrittenCount;

    /// <summary>Additional header lines, already encoded as <c>Name: value\r\n</c>.</summary>
    public ReadOnlySpan<byte> HeaderBytes => _headers.WrittenSpan;

    /// <summary>The Content-Type value, when set.</summary>
    public ReadOnlySpan<byte> ContentType => _contentType.Span;

    /// <summary>The buffered body.</summary>
    public ReadOnlyMemory<byte> BodyMemory => _fixedBody.Length > 0 ? _fixedBody : _body.WrittenMemory;

    /// <summary>The body as a buffer writer (JSON writers write straight into it).</summary>
    public IBufferWriter<byte> Body => _body;

    /// <summary>Sets the Content-Type from a cached byte array (no copy).</summary>
    public void SetContentType(byte[] value) => _contentType = value;

    /// <summary>Sets the Content-Type from memory that outlives the response (no copy).</summary>
    public void SetContentType(ReadOnlyMemory<byte> value) => _contentType = value;

    /// <summary>Sets the Content-Type from text; allocates, for handlers off the hot path.</summary>
    public void SetContentType(string value) => _contentType = Encoding.ASCII.GetBytes(value);

    /// <summary>Adds a header line. Values with CR, LF or NUL are refused (response splitting).</summary>
    public void AddHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (value.IndexOfAny((byte)'\r', (byte)'\n', (byte)0) >= 0)
            throw new ArgumentException("header value contains CR, LF or NUL", nameof(value));
        _headers.Write(name);
        _headers.Write(": "u8);
        _headers.Write(value);
        _headers.Write("\r\n"u8);
    }

    /// <summary>Adds a header line from text (ASCII/Latin-1 values).</summary>
    public void AddHeader(ReadOnlySpan<byte> name, string value)
    {
        Span<byte> stack = stackalloc byte[256];
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = max > stack.Length ? ArrayPool<byte>.Shared.Rent(max) : null;
        try
        {
            Span<byte> buf = rented ?? stack;
            int n = Encoding.UTF8.GetBytes(value, buf);
            AddHeader(name, buf[..n]);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Appends body bytes.</summary>
    public void Write(ReadOnlySpan<byte> bytes) => _body.Write(bytes);

    /// <summary>Appends UTF-8 text to the body.</summary>
    public void Write(string text)
    {
        var span = _body.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        _body.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    /// <summary>Uses memory that outlives the response (a cached file) as the body, without copying.</summary>
    public void SetBody(ReadOnlyMemory<byte> body) => _fixedBody = body;

    /// <summary>Streams a file as the body; the connection reads it in pooled chunks.</summary>
    public void SetFileBody(string path, long length)
    {
        FilePath = path;
        FileLength = length;
    }

    /// <summary>Replaces whatever was built with a plain-text error response.</summary>
    public void SetError(int status, bool close = false)
    {
        Reset();
        StatusCode = status;
        CloseConnection |= close;
        _contentType = TextPlain;
        Write(ReasonPhrases.Body(status));
    }

    /// <summary>Sends a text body with a status.</summary>
    public void SetText(int status, ReadOnlySpan<byte> text)
    {
        Reset();
        StatusCode = status;
        _contentType = TextPlain;
        Write(text);
    }

    /// <summary>Clears everything for the next request (keeps <see cref="CloseConnection"/> when asked).</summary>
    public void Reset()
    {
        bool close = CloseConnection;
        _headers.Reset();
        _body.Reset();
        _contentType = default;
        _fixedBody = default;
        FilePath = null;
        FileLength = 0;
        StatusCode = 200;
        CloseConnection = close;
    }

    /// <summary>Starts a fresh response for a new request.</summary>
    public void Begin()
    {
        Reset();
        CloseConnection = false;
    }

    public void Dispose()
    {
        _headers.Dispose();
        _body.Dispose();
    }

    /// <summary><c>text/plain; charset=utf-8</c>.</summary>
    public static readonly byte[] TextPlain = "text/plain; charset=utf-8"u8.ToArray();

    /// <summary><c>application/json</c>.</summary>
    public static readonly byte[] ApplicationJson = "application/json"u8.ToArray();
}
