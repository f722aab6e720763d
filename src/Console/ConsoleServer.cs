using System.Net;
using MailerQ.Www.Auth;
using MailerQ.Www.Console.Api;
using MailerQ.Www.Console.Auth;
using MailerQ.Www.Console.Hosting;
using MailerQ.Www.Console.Settings;
using MailerQ.Www.Core.Cluster;
using MailerQ.Www.Core.Config;
using MailerQ.Www.Core.Delivery;
using MailerQ.Www.Core.Messages;
using MailerQ.Www.Core.Metrics;
using MailerQ.Www.Core.Sessions;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Core.Tls;
using MailerQ.Www.Core.Tracing;
using MailerQ.Www.Http;
using MailerQ.Www.Http.WebSockets;

namespace MailerQ.Www.Console;

/// <summary>
/// The management console as one object: the HTTP(S) server with the login gate, the console API, the WebSocket
/// channels (live SMTP trace, metrics) and the static console files. A mail server publishes into it — bytes of each
/// session to <see cref="Trace"/>, events to <see cref="Overview"/> and <see cref="Metrics"/>, sessions to
/// <see cref="Sessions"/> and <see cref="Inbound"/> — and may give it providers for the rest (<see cref="Messages"/>,
/// <see cref="Queues"/>, <see cref="Delivery"/>, <see cref="SendLog"/>, <see cref="Cluster"/>) at any time; routes
/// without their provider answer with what they have (empty lists, zeros, 404). docs/embedding.md lists which.
/// </summary>
public sealed class ConsoleServer : IAsyncDisposable
{
    private readonly ConsoleApplication _application;

    /// <summary>
    /// Validates <paramref name="options"/> (see <see cref="ConsoleOptions.Validate"/>), creates the login backends,
    /// loads the HTTPS certificate; nothing listens until <see cref="Start"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid; the message names every property at fault.</exception>
    public ConsoleServer(ConsoleOptions options)
        : this(options, Parts(options))
    {
    }

    /// <summary>
    /// The same with MailerQ's settings database (open it with MailerQ.Www.Smtp's <c>SettingsDatabase.OpenAsync</c>):
    /// the settings pages, <c>/api/throttles</c>, <c>/api/dkim</c>, <c>/api/tokens</c> and REST API v1 work against it.
    /// The caller keeps ownership of <paramref name="settings"/> and disposes it after the server.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid; the message names every property at fault.</exception>
    public ConsoleServer(ConsoleOptions options, SettingsCache settings)
        : this(options, Parts(options), settings ?? throw new ArgumentNullException(nameof(settings)))
    {
    }

    private ConsoleServer(ConsoleOptions options, (AuthChain Chain, TlsCertificateSource? Tls) parts, SettingsCache? settings = null)
        : this(options, parts.Chain, parts.Tls, settings, identity: null)
    {
    }

    private ConsoleServer(ConsoleOptions options, AuthChain chain, TlsCertificateSource? tls, SettingsCache? settings, ConsoleIdentity? identity)
    {
        var www = options.Www;
        Tls = tls;
        Trace = new TraceBus(new TraceBusOptions { FramePrefix = WebSocketFrameWriter.TracePrefix });
        var settingsApi = settings is null ? null : new SettingsApi(settings);
        var authResults = new AuthResultCounters();
        Auth = new ConsoleAuth(chain, results: authResults) { BearerTokens = settingsApi };
        Services = new ConsoleServices
        {
            Overview = new OverviewCounters(),
            Metrics = new MetricsRegistry(),
            Identity = identity is null ? new Lazy<ConsoleIdentity>(() => ConsoleIdentity.From(www)) : new Lazy<ConsoleIdentity>(identity),
            AuthResults = authResults,
            RenderUserAgent = www.RenderUserAgent,
            Settings = settingsApi,
            DeliverySettings = settings,
        };
        // The DKIM routes refuse plain HTTP and point to the HTTPS console, when there is one.
        if (settingsApi is not null && www.SecurePort is int securePort)
        {
            var services = Services;
            settingsApi.Dkim.HttpsUrl = () => services.Identity.Value.Url is { } url && url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                ? url : ConsoleIdentity.DefaultUrl(services.Identity.Value.Host, null, securePort);
        }
        var webSockets = new WebSocketEndpoint(new WebSocketOptions(), Trace, Metrics, AuthorizeWebSocket);
        _application = new ConsoleApplication(www, Auth, webSockets, Services);
        Http = ConsoleHttp.Build(www, tls, _application.HandleAsync);
        Services.Http = Http;
        var server = Http;
        var trace = Trace;
        Metrics.Observe("http.connections", () => server.Limiter.Current);
        Metrics.Observe("trace.subscribers", () => trace.SubscriberCount);
        Metrics.Observe("trace.chunks", () => trace.PublishedChunks);
        Metrics.Observe("trace.dropped", () => trace.DroppedChunks);
    }

    /// <summary>
    /// Our own host's way in: the login chain it built (admin bootstrap, <c>--check-config</c>), the settings database and
    /// cluster identity; null (errors in <c>options.Config.Diagnostics</c>) when the HTTPS certificate does not load.
    /// </summary>
    internal static ConsoleServer? Create(ConsoleOptions options, AuthChain chain, SettingsCache? settings, ConsoleIdentity? identity)
    {
        TlsCertificateSource? tls = null;
        if (options.Www.SecurePort is not null)
        {
            tls = TlsSetup.Load(options.Www, options.Config);
            if (tls is null) return null;
        }
        return new ConsoleServer(options, chain, tls, settings, identity);
    }

    private static (AuthChain, TlsCertificateSource?) Parts(ConsoleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var config = options.Config;
        var chain = LoginSetup.CreateChain(options.Www, new GeneralSettings { DataDirectory = options.DataDirectory }, config, bootstrap: true);
        TlsCertificateSource? tls = null;
        if (chain is not null && options.Www.SecurePort is not null) tls = TlsSetup.Load(options.Www, config);
        if (chain is null || config.Diagnostics.HasErrors)
        {
            chain?.Dispose();
            tls?.Dispose();
            ConsoleOptions.ThrowIfErrors(config.Diagnostics);
        }
        return (chain!, tls);
    }

    /// <summary>The live SMTP trace: give each session a <see cref="TraceSource"/> over it and report its bytes there.</summary>
    public TraceBus Trace { get; }

    /// <summary>Named counters and gauges, sent on the metrics WebSocket channel.</summary>
    public MetricsRegistry Metrics => Services.Metrics;

    /// <summary>The overview's numbers (connects, attempts, deliveries, errors, …) per MTA IP, domain and tag.</summary>
    public OverviewCounters Overview => Services.Overview;

    /// <summary>The recent sessions and their transcripts (<c>/api/smtp/sessions</c>); replace it to share a store.</summary>
    public RecentSessions Sessions { get => Services.Sessions; set => Services.Sessions = value ?? throw new ArgumentNullException(nameof(value)); }

    /// <summary>Inbound connection, message and rejection counts (<c>/api/stats</c> "inbound", <c>/metrics</c>).</summary>
    public SmtpCounters Inbound { get => Services.Inbound; set => Services.Inbound = value ?? throw new ArgumentNullException(nameof(value)); }

    /// <summary>Kept messages for the message view; null = <c>/api/messages/{id}</c> and <c>/render/{id}</c> answer 404.</summary>
    public IMessageSource? Messages { get => Services.Messages; set => Services.Messages = value; }

    /// <summary>Queue sizes; null = none listed.</summary>
    public IQueueSizes? Queues { get => Services.Queues; set => Services.Queues = value; }

    /// <summary>The delivery engine's routes; null = the Domains and MTA IPs pages show counters only.</summary>
    public IDeliveryView? Delivery { get => Services.Delivery; set => Services.Delivery = value; }

    /// <summary>The send log; null = the Logs page is empty.</summary>
    public ISendLog? SendLog { get => Services.SendLog; set => Services.SendLog = value; }

    /// <summary>The cluster; null = this instance alone.</summary>
    public IClusterView? Cluster { get => Services.Cluster; set => Services.Cluster = value; }

    /// <summary>The addresses the server listens on (after <see cref="Start"/>).</summary>
    public IReadOnlyList<IPEndPoint> EndPoints => Http.BoundEndPoints;

    internal ConsoleServices Services { get; }

    internal ConsoleAuth Auth { get; }

    internal HttpServer Http { get; }

    /// <summary>The HTTPS certificate (reloaded on SIGHUP by our host); null without HTTPS.</summary>
    internal TlsCertificateSource? Tls { get; }

    /// <summary><c>POST /v1/inject</c>'s queue; only with a settings database (REST API v1 lives there), else ignored. Null = 503.</summary>
    public IOutboxInjector? Injector
    {
        get => Services.Settings?.V1.Injector;
        set
        {
            if (Services.Settings is { } settings) settings.V1.Injector = value;
        }
    }

    /// <summary>Binds the ports and starts serving. Throws <see cref="System.Net.Sockets.SocketException"/> when a port cannot be bound.</summary>
    public void Start() => Http.Start();

    /// <summary>Stops accepting; responses in flight get up to <paramref name="timeout"/> to finish.</summary>
    public Task StopAsync(TimeSpan timeout) => Http.StopAsync(timeout);

    /// <summary>Stops at once and releases the ports, the trace bus and the login backends.</summary>
    public async ValueTask DisposeAsync()
    {
        await Http.DisposeAsync().ConfigureAwait(false);
        _application.Dispose();
        Trace.Dispose();
        Tls?.Dispose();
        // Whatever chain is current (a SIGHUP may have replaced the first) is disposed by the swap.
        Auth.Replace(new AuthChain([]), changed: true);
    }

    /// <summary>
    /// The login check for <c>/ws</c>: the console's gate already ran (it protects <c>/ws</c> before
    /// routing) and left who the request is in <see cref="HttpContext.Principal"/>.
    /// </summary>
    private static bool AuthorizeWebSocket(HttpContext context) => context.Principal is not null;
}
