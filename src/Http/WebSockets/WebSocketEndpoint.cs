using System.Text;
using MailerQ.Www.Core.Metrics;
using MailerQ.Www.Core.Tracing;

namespace MailerQ.Www.Http.WebSockets;

/// <summary>
/// The <c>/ws</c> handler: login, origin, handshake, then the session on the same connection (which
/// stays counted in <c>www-connections</c> for its whole life).
/// </summary>
/// <remarks>
/// Order matters (CONTRACT.md "Login and sessions"): login is decided first, so a plain <c>GET /ws</c>
/// without upgrade headers gets 401, not 400. The login check itself is the <c>authorize</c> hook the
/// composition passes in; the auth work provides the real one.
/// </remarks>
internal sealed class WebSocketEndpoint
{
    private static readonly byte[] BasicChallenge = "Basic realm=\"MailerQ\""u8.ToArray();

    private readonly WebSocketOptions _options;
    private readonly TraceBus? _bus;
    private readonly MetricsRegistry? _metrics;
    private readonly Func<HttpContext, bool> _authorize;
    private readonly MetricGauge? _open;

    /// <param name="authorize">
    /// Whether the request carries a valid login (session cookie or Basic). Called before anything else.
    /// </param>
    public WebSocketEndpoint(WebSocketOptions options, TraceBus? bus, MetricsRegistry? metrics, Func<HttpContext, bool> authorize)
    {
        _options = options;
        _bus = bus;
        _metrics = metrics;
        _authorize = authorize;
        _open = metrics?.Gauge("http.websockets");
    }

    /// <summary>Sessions running now.</summary>
    public int OpenSessions => Volatile.Read(ref _sessions);
    private int _sessions;

    /// <summary>Trace frames sent by sessions that ended (added once per session, off the hot path).</summary>
    internal long TraceFramesSent => Interlocked.Read(ref _traceFramesSent);
    private long _traceFramesSent;

    /// <summary>Socket sends or TLS flushes that carried <see cref="TraceFramesSent"/>: fewer means batched.</summary>
    internal long TraceSends => Interlocked.Read(ref _traceSends);
    private long _traceSends;

    public async ValueTask HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (!_authorize(context))
        {
            response.SetError(401);
            // Contract: the console's own requests say XMLHttpRequest, so browsers never show their Basic dialog.
            if (!Ascii.EqualsIgnoreCase(request.XRequestedWith, "XMLHttpRequest"u8))
                response.AddHeader("WWW-Authenticate"u8, BasicChallenge);
            return;
        }
        if (!OriginAllowed(context))
        {
            response.SetError(403, close: true);
            return;
        }
        var error = WebSocketHandshake.Validate(request);
        if (error != WebSocketHandshakeError.None)
        {
            WebSocketHandshake.Reject(response, error);
            return;
        }

        var session = new WebSocketSession(_options, _bus, _metrics);
        Interlocked.Increment(ref _sessions);
        _open?.Increment();
        try
        {
            await context.UpgradeToWebSocketAsync(session).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Add(ref _traceFramesSent, session.TraceFramesSent);
            Interlocked.Add(ref _traceSends, session.TraceSends);
            _open?.Decrement();
            Interlocked.Decrement(ref _sessions);
        }
    }

    /// <summary>
    /// RFC 6455 §10.2: browsers send <c>Origin</c> and attach cookies to cross-site WebSocket requests, so
    /// a page elsewhere could ride a console login (cross-site WebSocket hijacking). An <c>Origin</c>, when
    /// present, must therefore name this server as reached (<c>Host</c>, scheme by TLS). Without one the
    /// request is not from a browser page, and only an explicit Basic login is accepted: a cookie alone
    /// is exactly what a hijacking request would carry.
    /// </summary>
    private static bool OriginAllowed(HttpContext context)
    {
        var request = context.Request;
        if (request.HasHeader(Parsing.KnownHeader.Origin))
            return WebSocketHandshake.OriginMatchesHost(request.Origin, request.Authority, context.IsTls);
        var authorization = request.Authorization;
        return authorization.Length > 6 && Ascii.EqualsIgnoreCase(authorization[..6], "Basic "u8);
    }
}
