using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace MailerQ.Www.Http.Parsing;

/// <summary>
/// The parsed request line and field lines of one request. One instance per connection, reused via
/// <see cref="Reset"/>; not thread-safe (only the connection's read loop touches it).
/// </summary>
/// <remarks>
/// The bytes of the request line and of every field line are copied into one buffer rented from
/// <see cref="ArrayPool{T}.Shared"/>, so every span handed out stays valid after the pipe has advanced,
/// until the next <see cref="Reset"/> (which the parser does when it starts the next request).
/// Spans are views into that buffer: do not keep them across requests.
/// </remarks>
internal sealed class HttpRequestHead : IDisposable
{
    private readonly HeaderEntry[] _headers = new HeaderEntry[HttpLimits.MaxHeaderCount];

    // Index into _headers of the first field line with each known name, -1 when absent.
    private readonly short[] _known = new short[KnownHeaders.Count];

    private byte[]? _buffer;
    private int _length;
    private int _headerCount;
    private ByteRange _method;
    private ByteRange _target;
    private ByteRange _path;
    private ByteRange _query;
    private ByteRange _authority;
    private bool _pathIsImplicitRoot;

    public HttpRequestHead() => Reset();

    public HttpMethod Method { get; private set; }

    public HttpVersion Version { get; private set; }

    public RequestTargetForm TargetForm { get; private set; }

    /// <summary>The method token exactly as sent, e.g. <c>GET</c>.</summary>
    public ReadOnlySpan<byte> MethodBytes => Slice(_method);

    /// <summary>The raw request-target, byte for byte.</summary>
    public ReadOnlySpan<byte> Target => Slice(_target);

    /// <summary>
    /// The path, still percent-encoded: the target up to '?'. For absolute-form the path part after the
    /// authority, or "/" when that is empty (RFC 9112 §3.3). "*" for asterisk-form, empty for authority-form.
    /// </summary>
    public ReadOnlySpan<byte> Path => _pathIsImplicitRoot ? "/"u8 : Slice(_path);

    /// <summary>The query after '?' (without it); empty when there is none or it is empty.</summary>
    public ReadOnlySpan<byte> Query => Slice(_query);

    /// <summary>True when the target has a '?', even with an empty query.</summary>
    public bool HasQuery { get; private set; }

    /// <summary>
    /// The host[:port] this request is for: the target's authority for absolute- and authority-form
    /// (RFC 9112 §3.2.2: the server MUST ignore Host then), otherwise the Host field. Already validated.
    /// </summary>
    public ReadOnlySpan<byte> Authority => TargetForm is RequestTargetForm.Absolute or RequestTargetForm.Authority ? Slice(_authority) : Host;

    public ReadOnlySpan<byte> Host => GetHeader(KnownHeader.Host);

    public ReadOnlySpan<byte> ContentType => GetHeader(KnownHeader.ContentType);

    public ReadOnlySpan<byte> IfNoneMatch => GetHeader(KnownHeader.IfNoneMatch);

    public ReadOnlySpan<byte> IfModifiedSince => GetHeader(KnownHeader.IfModifiedSince);

    public ReadOnlySpan<byte> Upgrade => GetHeader(KnownHeader.Upgrade);

    public ReadOnlySpan<byte> SecWebSocketKey => GetHeader(KnownHeader.SecWebSocketKey);

    public ReadOnlySpan<byte> SecWebSocketVersion => GetHeader(KnownHeader.SecWebSocketVersion);

    public ReadOnlySpan<byte> SecWebSocketProtocol => GetHeader(KnownHeader.SecWebSocketProtocol);

    public ReadOnlySpan<byte> Origin => GetHeader(KnownHeader.Origin);

    public ReadOnlySpan<byte> Cookie => GetHeader(KnownHeader.Cookie);

    public ReadOnlySpan<byte> Authorization => GetHeader(KnownHeader.Authorization);

    public ReadOnlySpan<byte> UserAgent => GetHeader(KnownHeader.UserAgent);

    public ReadOnlySpan<byte> XRequestedWith => GetHeader(KnownHeader.XRequestedWith);

    public ReadOnlySpan<byte> XCsrfToken => GetHeader(KnownHeader.XCsrfToken);

    public ReadOnlySpan<byte> Accept => GetHeader(KnownHeader.Accept);

    public ReadOnlySpan<byte> AcceptEncoding => GetHeader(KnownHeader.AcceptEncoding);

    public ReadOnlySpan<byte> Referer => GetHeader(KnownHeader.Referer);

    /// <summary>The body length from Content-Length, -1 when absent (then the body is chunked or empty).</summary>
    public long ContentLength { get; private set; }

    /// <summary>The body uses the chunked transfer coding (the only coding we accept, RFC 9112 §7.1).</summary>
    public bool IsChunked { get; private set; }

    /// <summary><c>Expect: 100-continue</c> on an HTTP/1.1 request (RFC 9110 §10.1.1: ignored for 1.0).</summary>
    public bool Expect100Continue { get; private set; }

    /// <summary>The options of every Connection field line together.</summary>
    public ConnectionOptions Connection { get; private set; }

    /// <summary>
    /// Whether the connection may stay open after this exchange (RFC 9112 §9.3): HTTP/1.1 persists
    /// unless "close"; HTTP/1.0 only with "keep-alive" (and without "close").
    /// </summary>
    public bool KeepAlive => (Connection & ConnectionOptions.Close) == 0
        && (Version == HttpVersion.Http11 || (Connection & ConnectionOptions.KeepAlive) != 0);

    public bool HasBody => IsChunked || ContentLength > 0;

    /// <summary>Field lines in this head, counting repeated names separately.</summary>
    public int HeaderCount => _headerCount;

    /// <summary>The name of field line <paramref name="index"/>, as sent.</summary>
    public ReadOnlySpan<byte> HeaderName(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_headerCount, nameof(index));
        return Slice(_headers[index].Name);
    }

    /// <summary>The value of field line <paramref name="index"/>, without leading and trailing OWS.</summary>
    public ReadOnlySpan<byte> HeaderValue(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_headerCount, nameof(index));
        return Slice(_headers[index].Value);
    }

    /// <summary>The value of the first field line named <paramref name="name"/> (case-insensitive).</summary>
    public bool TryGetHeader(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        for (int i = 0; i < _headerCount; i++)
        {
            if (Ascii.EqualsIgnoreCase(Slice(_headers[i].Name), name))
            {
                value = Slice(_headers[i].Value);
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Whether a field line with this name was present, even with an empty value.</summary>
    public bool HasHeader(KnownHeader header) => _known[(int)header] >= 0;

    /// <summary>
    /// The value of the first field line with this name, empty when absent. For list-valued fields
    /// sent on several lines (RFC 9110 §5.3) only the first line is here; <see cref="HeaderValue"/> has all.
    /// </summary>
    public ReadOnlySpan<byte> GetHeader(KnownHeader header)
    {
        int index = _known[(int)header];
        return index < 0 ? default : Slice(_headers[index].Value);
    }

    /// <summary>Forgets the request; keeps the buffer for the next one.</summary>
    public void Reset()
    {
        _length = 0;
        _headerCount = 0;
        _known.AsSpan().Fill(-1);
        _method = _target = _path = _query = _authority = default;
        _pathIsImplicitRoot = false;
        HasQuery = false;
        Method = HttpMethod.Unknown;
        Version = HttpVersion.Http11;
        TargetForm = RequestTargetForm.Origin;
        ContentLength = -1;
        IsChunked = false;
        Expect100Continue = false;
        Connection = ConnectionOptions.None;
    }

    /// <summary>Resets and gives the buffer back to the pool (idle or closing connection). The head
    /// stays usable: the next request rents again.</summary>
    public void ReturnBuffers()
    {
        Reset();
        if (_buffer is { } buffer)
        {
            _buffer = null;
            // Heads carry cookies and Authorization: clear before another connection can rent it.
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    public void Dispose() => ReturnBuffers();

    /// <summary>Copies <paramref name="bytes"/> to the end of the buffer and returns their offset.</summary>
    internal int Append(ReadOnlySpan<byte> bytes)
    {
        int needed = _length + bytes.Length;
        if (_buffer is null || needed > _buffer.Length)
            Grow(needed);
        int start = _length;
        bytes.CopyTo(_buffer.AsSpan(start));
        _length = needed;
        return start;
    }

    internal void SetRequestLine(HttpMethod method, HttpVersion version, ByteRange methodBytes, ByteRange target)
    {
        Method = method;
        Version = version;
        _method = methodBytes;
        _target = target;
    }

    internal void SetTarget(RequestTargetForm form, ByteRange authority, ByteRange path, bool pathIsImplicitRoot, bool hasQuery, ByteRange query)
    {
        TargetForm = form;
        _authority = authority;
        _path = path;
        _pathIsImplicitRoot = pathIsImplicitRoot;
        HasQuery = hasQuery;
        _query = query;
    }

    /// <summary>Records a field line whose bytes were already appended; the caller checked the count.</summary>
    internal int AddHeader(ByteRange name, ByteRange value)
    {
        int index = _headerCount++;
        _headers[index] = new HeaderEntry(name, value);
        return index;
    }

    /// <summary>Remembers the first field line with a known name.</summary>
    internal void SetKnown(KnownHeader header, int index)
    {
        ref short slot = ref _known[(int)header];
        if (slot < 0)
            slot = (short)index;
    }

    internal void SetFraming(long contentLength, bool isChunked, bool expect100Continue, ConnectionOptions connection)
    {
        ContentLength = contentLength;
        IsChunked = isChunked;
        Expect100Continue = expect100Continue;
        Connection = connection;
    }

    private ReadOnlySpan<byte> Slice(ByteRange range) => _buffer is null ? default : _buffer.AsSpan(range.Start, range.Length);

    [MemberNotNull(nameof(_buffer))]
    private void Grow(int needed)
    {
        int size = Math.Max(needed, Math.Max(HttpLimits.InitialHeadBufferBytes, (_buffer?.Length ?? 0) * 2));
        byte[] bigger = ArrayPool<byte>.Shared.Rent(size);
        if (_buffer is { } old)
        {
            old.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(old, clearArray: true);
        }

        _buffer = bigger;
    }
}
