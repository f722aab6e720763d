using System.Buffers;
using System.Buffers.Text;
using System.Net;
using System.Text;
using MailerQ.Www.Auth;
using MailerQ.Www.Auth.Sessions;
using MailerQ.Www.Core.Buffers;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Http;
using MailerQ.Www.Http.Parsing;
using MailerQ.Www.Http.Responses;

namespace MailerQ.Www.Console.Auth;

/// <summary>
/// The console's login gate (contract "Login and sessions"): decides 401/403/429 for protected paths
/// before routing, and serves <c>/api/login</c>, <c>/api/logout</c> and <c>/api/whoami</c>.
/// </summary>
/// <remarks>
/// Two ways in: the <c>mq_session</c> cookie (writes then need <c>X-CSRF-Token</c>; websockets need an
/// <c>Origin</c> matching <c>Host</c>) or <c>Authorization: Basic</c> on every request (scripts,
/// Prometheus), whose successes are cached briefly so a script does not hit LDAP per request. Failed
/// logins count per user name and per client address; five within 60 s lock both for the rest of
/// the window (429 with Retry-After) without asking any backend. Every refusal of credentials looks
/// the same from outside, whatever the reason.
/// </remarks>
internal sealed class ConsoleAuth
{
    public const string CookieName = "mq_session";
    private const long MaxLoginBodyBytes = 64 * 1024;
    private static readonly TimeSpan BackendBudget = TimeSpan.FromSeconds(15);

    private AuthChain _chain;
    private readonly SessionStore _sessions;
    private readonly LoginThrottle _throttle;
    private readonly BasicAuthCache _basicCache;
    private readonly LoginAuditor _audit = new();

    public ConsoleAuth(AuthChain chain, TimeProvider? time = null, AuthResultCounters? results = null)
    {
        _chain = chain;
        Results = results ?? new AuthResultCounters();
        _sessions = new SessionStore(time);
        _throttle = new LoginThrottle(time);
        _basicCache = new BasicAuthCache(time);
    }

    /// <summary>Login results by scheme, for <c>/metrics</c>.</summary>
    public AuthResultCounters Results { get; }

    /// <summary>
    /// REST API tokens for <c>Authorization: Bearer</c> on <c>/v1/</c> (MailerQ 5.13/rest-api-v1.md); null = no
    /// settings database, so every Bearer request is refused.
    /// </summary>
    public IBearerTokens? BearerTokens { get; set; }

    /// <summary>The sessions (tests, metrics).</summary>
    public SessionStore Sessions => _sessions;

    /// <summary>
    /// Swaps the backends after a SIGHUP. When the login configuration changed, every session and
    /// cached Basic login ends: who may log in is no longer what it was.
    /// </summary>
    public void Replace(AuthChain chain, bool changed)
    {
        var old = Interlocked.Exchange(ref _chain, chain);
        if (changed)
        {
            _sessions.RemoveAll();
            _basicCache.Clear();
        }
        old.Dispose();
    }

    /// <summary>Everything under /api/ but the login itself, /v1/, /render/, /ws and /metrics.</summary>
    public static bool IsProtected(ReadOnlySpan<byte> path) =>
        (path.StartsWith("/api/"u8) && !path.SequenceEqual("/api/login"u8))
        || path.SequenceEqual("/api"u8)
        || path.StartsWith("/v1/"u8) || path.SequenceEqual("/v1"u8)
        || path.StartsWith("/render/"u8)
        || path.SequenceEqual("/ws"u8)
        || path.SequenceEqual("/metrics"u8);

    /// <summary>
    /// True when the request may go on to routing. Otherwise the response is already the 401, 403 or
    /// 429 the contract prescribes.
    /// </summary>
    public async ValueTask<bool> GateAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;

        if (TryGetCookie(request, out var sessionId) && _sessions.TryGet(sessionId, out var session))
        {
            if (request.Path.SequenceEqual("/ws"u8) && !OriginMatchesHost(request, context.IsTls))
            {
                SetJsonError(response, 403, "origin does not match host");
                return false;
            }
            if (IsWrite(request.Method) && !session.CsrfMatches(Header(request.XCsrfToken)))
            {
                SetJsonError(response, 403, "missing or invalid X-CSRF-Token");
                return false;
            }
            context.Principal = session;
            return true;
        }

        // Bearer tokens are for the REST API only; writes need no CSRF token since no browser sends one by itself.
        if (request.Path.StartsWith("/v1/"u8) && TryGetBearer(request, out var token))
        {
            if (BearerTokens is { } tokens && tokens.TryVerify(token, out var tokenName))
            {
                context.Principal = new BearerLogin(tokenName);
                return true;
            }
            Log.Info("auth", "bearer token refused", $"ip={context.RemoteEndPoint?.Address}");
            SetUnauthorized(context);
            return false;
        }

        if (TryGetBasic(request, out var user, out var password))
        {
            if (_basicCache.TryGet(user, password, out var cached))
            {
                context.Principal = cached;
                return true;
            }
            var client = context.RemoteEndPoint?.Address;
            var decision = _throttle.Check(user, client);
            if (!decision.Allowed)
            {
                _audit.LockedOut(user, client, decision.RetryAfterSeconds);
                Results.CountLockout();
                SetTooMany(response, decision.RetryAfterSeconds);
                return false;
            }
            var result = await AuthenticateAsync(user, password).ConfigureAwait(false);
            Results.Count(result);
            if (result.Accepted)
            {
                _throttle.RecordSuccess(user);
                _basicCache.Add(user, password, result.Scheme);
                _audit.Succeeded(user, client, result.Scheme, "basic");
                _basicCache.TryGet(user, password, out cached);
                context.Principal = cached;
                return true;
            }
            _throttle.RecordFailure(user, client);
            _audit.Failed(user, client, result.Scheme, result.Detail);
        }

        SetUnauthorized(context);
        return false;
    }

    /// <summary><c>POST /api/login</c>.</summary>
    public async ValueTask LoginAsync(HttpContext context)
    {
        var response = context.Response;
        using var body = new PooledBufferWriter(256, clearOnReturn: true);
        if (await context.ReadBodyAsync(body, MaxLoginBodyBytes).ConfigureAwait(false) != BodyReadStatus.Ok) return;
        if (!LoginRequest.TryParse(body.WrittenSpan, out var login))
        {
            SetJsonError(response, 400, "malformed login request");
            return;
        }

        var client = context.RemoteEndPoint?.Address;
        var decision = _throttle.Check(login.UserName, client);
        if (!decision.Allowed)
        {
            _audit.LockedOut(login.UserName, client, decision.RetryAfterSeconds);
            Results.CountLockout();
            SetTooMany(response, decision.RetryAfterSeconds);
            return;
        }

        var result = await AuthenticateAsync(login.UserName, login.Password).ConfigureAwait(false);
        Results.Count(result);
        if (!result.Accepted)
        {
            _throttle.RecordFailure(login.UserName, client);
            _audit.Failed(login.UserName, client, result.Scheme, result.Detail);
            SetJsonError(response, 401, "invalid credentials");
            return;
        }

        _throttle.RecordSuccess(login.UserName);
        _audit.Succeeded(login.UserName, client, result.Scheme, "form");
        var created = _sessions.Create(login.UserName, result.Scheme);
        response.AddHeader("Set-Cookie"u8, $"{CookieName}={created.SessionId}; Path=/; HttpOnly; SameSite=Strict{(context.IsTls ? "; Secure" : "")}");
        response.AddHeader("Cache-Control"u8, "no-store"u8);
        response.SetContentType(HttpResponse.ApplicationJson);
        JsonText.WriteUser(response.Body, login.UserName, created.Csrf);
    }

    /// <summary><c>POST /api/logout</c> (the gate already checked the CSRF token).</summary>
    public ValueTask LogoutAsync(HttpContext context)
    {
        if (TryGetCookie(context.Request, out var sessionId)) _sessions.Remove(sessionId);
        var response = context.Response;
        response.AddHeader("Set-Cookie"u8, $"{CookieName}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{(context.IsTls ? "; Secure" : "")}");
        response.SetContentType(HttpResponse.ApplicationJson);
        response.Write("{}"u8);
        return ValueTask.CompletedTask;
    }

    /// <summary><c>GET /api/whoami</c>: the user, and the CSRF token for cookie sessions.</summary>
    public ValueTask WhoAmIAsync(HttpContext context)
    {
        var response = context.Response;
        response.AddHeader("Cache-Control"u8, "no-store"u8);
        response.SetContentType(HttpResponse.ApplicationJson);
        switch (context.Principal)
        {
            case Session session:
                JsonText.WriteUser(response.Body, session.User, session.Csrf);
                break;
            case CachedLogin basic:
                JsonText.WriteUser(response.Body, basic.User, null);
                break;
            default:
                SetUnauthorized(context);
                break;
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>The user name of an authenticated request, for logs and audit.</summary>
    public static string? UserOf(HttpContext context) => context.Principal switch
    {
        Session s => s.User,
        CachedLogin b => b.User,
        BearerLogin t => "token:" + t.TokenName,
        _ => null,
    };

    private async ValueTask<AuthResult> AuthenticateAsync(string user, string password)
    {
        // The backends keep their own, shorter budgets (contract: 10 s); this only guards against a bug.
        using var timeout = new CancellationTokenSource(BackendBudget);
        try
        {
            return await Volatile.Read(ref _chain).AuthenticateAsync(user, password, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return new AuthResult(AuthOutcome.Error, "chain", "timeout");
        }
    }

    private static bool IsWrite(HttpMethod method) =>
        method is HttpMethod.Post or HttpMethod.Put or HttpMethod.Patch or HttpMethod.Delete;

    private static void SetUnauthorized(HttpContext context)
    {
        var response = context.Response;
        SetJsonError(response, 401, "login required");
        // The console's own fetches send X-Requested-With, so browsers never pop their native dialog over
        // the console's login page; scripts and Prometheus get the Basic challenge.
        if (!context.Request.XRequestedWith.SequenceEqual("XMLHttpRequest"u8))
            response.AddHeader("WWW-Authenticate"u8, "Basic realm=\"MailerQ\", charset=\"UTF-8\""u8);
    }

    private static void SetTooMany(HttpResponse response, int retryAfterSeconds)
    {
        SetJsonError(response, 429, "too many failed logins");
        Span<byte> digits = stackalloc byte[8];
        Utf8Formatter.TryFormat(retryAfterSeconds, digits, out int n);
        response.AddHeader("Retry-After"u8, digits[..n]);
    }

    private static void SetJsonError(HttpResponse response, int status, string error)
    {
        response.Reset();
        response.StatusCode = status;
        response.SetContentType(HttpResponse.ApplicationJson);
        JsonText.WriteError(response.Body, error);
    }

    private static string? Header(ReadOnlySpan<byte> value) => value.IsEmpty ? null : Encoding.ASCII.GetString(value);

    /// <summary>Finds <c>mq_session</c> among the Cookie header's pairs (RFC 6265 §5.4).</summary>
    private static bool TryGetCookie(HttpRequestHead request, out string? value)
    {
        value = null;
        for (int i = 0; i < request.HeaderCount; i++)
        {
            if (!Ascii.EqualsIgnoreCase(request.HeaderName(i), "Cookie"u8)) continue;
            var rest = request.HeaderValue(i);
            while (!rest.IsEmpty)
            {
                int semi = rest.IndexOf((byte)';');
                var pair = (semi < 0 ? rest : rest[..semi]).Trim((byte)' ');
                rest = semi < 0 ? default : rest[(semi + 1)..];
                if (pair.StartsWith("mq_session="u8) && pair.Length > "mq_session="u8.Length)
                {
                    value = Encoding.ASCII.GetString(pair["mq_session="u8.Length..]);
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary><c>Authorization: Bearer token</c> (RFC 6750 §2.1); the token as sent, trimmed.</summary>
    private static bool TryGetBearer(HttpRequestHead request, out ReadOnlySpan<byte> token)
    {
        var value = request.Authorization;
        token = default;
        if (value.Length < 8 || !Ascii.EqualsIgnoreCase(value[..7], "Bearer "u8)) return false;
        token = value[7..].Trim((byte)' ');
        return !token.IsEmpty;
    }

    /// <summary><c>Authorization: Basic base64(user:password)</c> (RFC 7617), UTF-8.</summary>
    private static bool TryGetBasic(HttpRequestHead request, out string user, out string password)
    {
        user = password = "";
        var value = request.Authorization;
        if (value.Length < 7 || !Ascii.EqualsIgnoreCase(value[..6], "Basic "u8)) return false;
        var encoded = value[6..].Trim((byte)' ');
        if (encoded.Length > 4096) return false;
        Span<byte> decoded = stackalloc byte[Base64.GetMaxDecodedFromUtf8Length(encoded.Length)];
        if (Base64.DecodeFromUtf8(encoded, decoded, out _, out int written) != OperationStatus.Done) return false;
        var pair = decoded[..written];
        int colon = pair.IndexOf((byte)':');
        if (colon < 0) return false;
        try
        {
            var strict = new UTF8Encoding(false, true);
            user = strict.GetString(pair[..colon]);
            password = strict.GetString(pair[(colon + 1)..]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        finally
        {
            decoded.Clear();
        }
        return true;
    }

    /// <summary>
    /// Cookie logins over a websocket must come from the console's own origin (cross-site websocket
    /// hijacking): the Origin's host and port equal the Host header, scheme matching the connection.
    /// </summary>
    private static bool OriginMatchesHost(HttpRequestHead request, bool tls)
    {
        var origin = request.Origin;
        var host = request.Host;
        var scheme = tls ? "https://"u8 : "http://"u8;
        if (origin.IsEmpty || host.IsEmpty || !origin.StartsWith(scheme)) return false;
        var originHost = origin[scheme.Length..];
        if (Ascii.EqualsIgnoreCase(originHost, host)) return true;
        // A browser leaves the default port out of Origin while Host may carry it, and the other way round.
        var defaultPort = tls ? ":443"u8 : ":80"u8;
        return (host.EndsWith(defaultPort) && Ascii.EqualsIgnoreCase(originHost, host[..^defaultPort.Length]))
            || (originHost.EndsWith(defaultPort) && Ascii.EqualsIgnoreCase(originHost[..^defaultPort.Length], host));
    }
}
