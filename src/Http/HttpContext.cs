using System.Buffers;
using System.Net;
using MailerQ.Www.Http.Connections;
using MailerQ.Www.Http.Parsing;
using MailerQ.Www.Http.Responses;
using MailerQ.Www.Http.WebSockets;

namespace MailerQ.Www.Http;

/// <summary>
/// What a handler sees of one request: the parsed head, the response being built, and the
/// connection it came on. One per connection, reused for every request on it.
/// </summary>
internal sealed class HttpContext
{
    private HttpConnection _connection = null!;

    /// <summary>The connection this context currently serves (contexts are pooled across connections).</summary>
    internal HttpConnection Connection
    {
        get => _connection;
        set => _connection = value;
    }

    /// <summary>The head parser's state between reads.</summary>
    internal HttpRequestParser Parser { get; } = new();

    /// <summary>The chunked body decoder's state between reads.</summary>
    internal ChunkedBodyDecoder Chunked { get; } = new();

    /// <summary>The request line and headers.</summary>
    public HttpRequestHead Request { get; } = new();

    /// <summary>The response being built.</summary>
    public HttpResponse Response { get; } = new();

    /// <summary>True when the connection is TLS (Secure cookies, DKIM routes).</summary>
    public bool IsTls => _connection.IsTls;

    /// <summary>The peer.</summary>
    public IPEndPoint? RemoteEndPoint => _connection.RemoteEndPoint;

    /// <summary>The local address the request arrived on.</summary>
    public IPEndPoint? LocalEndPoint => _connection.LocalEndPoint;

    /// <summary>The server-wide connection number, for logs.</summary>
    public long ConnectionId => _connection.Id;

    /// <summary>Who the request was authenticated as, set by the host's login gate; null before that
    /// and reset for every request.</summary>
    public object? Principal { get; set; }

    /// <summary>For prefix routes: the part of the path after the prefix (still percent-encoded).</summary>
    public ReadOnlySpan<byte> RouteRemainder => Request.Path[RouteRemainderStart..];

    internal int RouteRemainderStart { get; set; }

    /// <summary>
    /// Reads the request body into <paramref name="sink"/> (or discards it when null). Sends
    /// <c>100 Continue</c> first when the client asked for it. Over <paramref name="maxBytes"/> the
    /// response becomes 413 and the connection closes; a malformed chunked body gives 400.
    /// </summary>
    public ValueTask<BodyReadStatus> ReadBodyAsync(IBufferWriter<byte>? sink, long maxBytes) =>
        _connection.ReadBodyAsync(sink, maxBytes);

    /// <summary>
    /// Switches this connection to WebSocket (RFC 6455 §4.2.2): writes the 101 for the request's key,
    /// then runs <paramref name="session"/> on the connection's own pipes until it ends. The request must
    /// have passed <see cref="WebSocketHandshake.Validate"/>. Afterwards the connection closes; nothing the
    /// handler puts in <see cref="Response"/> is sent. The connection keeps its <c>www-connections</c> slot.
    /// </summary>
    public ValueTask UpgradeToWebSocketAsync(WebSocketSession session) =>
        _connection.UpgradeToWebSocketAsync(session);
}
