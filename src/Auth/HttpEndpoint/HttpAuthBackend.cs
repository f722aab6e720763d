using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MailerQ.Www.Core.Config;
using MailerQ.Www.Core.Logging;

namespace MailerQ.Www.Auth.HttpEndpoint;

/// <summary>
/// <c>http://host:port/path</c> and <c>https://…</c> (management-console.md): a GET with
/// <c>Authorization: Basic base64(user:password)</c> (RFC 7617, UTF-8); any 2xx accepts, every other
/// status rejects. Redirects are not followed (a 302 to a login page is a "no", and credentials must not
/// travel to another host), the server certificate is verified for https, no proxy from the environment
/// is used (the credentials go to the configured host only), and the whole request has
/// <see cref="AuthLimits.HttpTimeout"/>; a timeout or a connection failure is Error.
/// </summary>
internal sealed class HttpAuthBackend : IAuthBackend, IDisposable
{
    public const string SchemeName = "http";
    public const string SecureSchemeName = "https";

    private readonly HttpClient _client;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;

    public HttpAuthBackend(Uri endpoint, TimeProvider? timeProvider = null, TimeSpan? timeout = null, X509ChainPolicy? chainPolicy = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Endpoint = endpoint;
        _time = timeProvider ?? TimeProvider.System;
        _timeout = timeout ?? AuthLimits.HttpTimeout;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = _timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            MaxConnectionsPerServer = 16,
            MaxResponseHeadersLength = 64,
        };
        if (chainPolicy is not null)
        {
            // Tests trust their own CA this way; the default is the system store.
            handler.SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = chainPolicy };
        }
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public string Scheme => Endpoint.Scheme;

    /// <summary>The URL asked.</summary>
    public Uri Endpoint { get; }

    public async ValueTask<AuthResult> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken)
    {
        // RFC 7617 section 2: the user-id cannot contain a colon.
        if (userName.Contains(':', StringComparison.Ordinal))
            return new AuthResult(AuthOutcome.Rejected, Scheme, "user name with ':' cannot be sent in Basic");

        byte[] raw = Encoding.UTF8.GetBytes(userName + ":" + password);
        string token = Convert.ToBase64String(raw);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(raw);

        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, Endpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", token);
        request.Headers.ConnectionClose = false;
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            return status is >= 200 and <= 299
                ? new AuthResult(AuthOutcome.Accepted, Scheme)
                : new AuthResult(AuthOutcome.Rejected, Scheme, $"status {status}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new AuthResult(AuthOutcome.Error, Scheme, "timeout");
        }
        catch (HttpRequestException ex)
        {
            return new AuthResult(AuthOutcome.Error, Scheme, ex.HttpRequestError + ": " + ex.Message);
        }
    }

    /// <summary>Parses <c>http(s)://host[:port]/path[?query]</c>: absolute, with a host, no user info, no fragment.</summary>
    public static HttpAuthBackend? Create(ConfigEntry entry, ConfigDiagnostics diagnostics, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (!Uri.TryCreate(entry.Value, UriKind.Absolute, out var uri) || (uri.Scheme != SchemeName && uri.Scheme != SecureSchemeName) || uri.Host.Length == 0)
        {
            diagnostics.Error(entry.Origin, entry.Key, "http: expected http://host[:port]/path or https://…");
            return null;
        }
        if (uri.UserInfo.Length > 0)
        {
            diagnostics.Error(entry.Origin, entry.Key, "http: credentials in the URL are not supported (the login's own user and password are sent)");
            return null;
        }
        if (uri.Fragment.Length > 0)
        {
            diagnostics.Error(entry.Origin, entry.Key, "http: a URL fragment (#…) is never sent; remove it");
            return null;
        }
        if (uri.Scheme == SchemeName && !uri.IsLoopback)
            diagnostics.Warning(entry.Origin, entry.Key, "http: passwords go over plain HTTP to a non-loopback host; use https://");
        Log.Debug("auth", "http backend", $"url={Log.Quote(uri.GetLeftPart(UriPartial.Path))}");
        return new HttpAuthBackend(uri, timeProvider);
    }

    public void Dispose() => _client.Dispose();
}
