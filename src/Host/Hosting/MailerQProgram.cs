using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using MailerQ.Www.Core.Config;
using MailerQ.Www.Core.Diagnostics;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Core.Metrics;
using MailerQ.Www.Core.Tracing;
using MailerQ.Www.Http;
using MailerQ.Www.Http.Redirects;
using MailerQ.Www.Http.WebSockets;
using MailerQ.Www.Core.Tls;
using MailerQ.Www.Auth.Crypt;
using MailerQ.Www.Host.Mail;
using MailerQ.Www.Host.Web;
using MailerQ.Www.Host.Web.Api;
using MailerQ.Www.Host.Web.Auth;
using MailerQ.Www.Host.Web.Settings;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Host.Cluster;
using MailerQ.Www.Smtp.Cluster;
using MailerQ.Www.Smtp.Settings;

namespace MailerQ.Www.Host.Hosting;

/// <summary>
/// The <c>mailerq</c> program: command line, layered config, the console server, signals.
/// A configuration with any error never starts anything: every error is printed as
/// <c>FILE:LINE: key: reason</c> and the process exits 2.
/// </summary>
internal static class MailerQProgram
{
    private static readonly TimeSpan ShutdownBudget = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string[] args)
    {
        var diagnostics = new ConfigDiagnostics();
        var command = CommandLine.Parse(args, diagnostics);
        if (command.Help)
        {
            Console.Out.Write(CommandLine.Usage);
            return ExitCodes.Ok;
        }
        if (command.Version)
        {
            Console.Out.WriteLine($"mailerq {ProductInfo.Version}");
            return ExitCodes.Ok;
        }
        if (diagnostics.HasErrors) return Report(diagnostics);
        if (command.Command == CommandLine.HashPasswordCommand) return HashPassword();

        var config = ConfigLoader.Load(command, diagnostics);
        var www = WwwSettings.Read(config);
        var general = GeneralSettings.Read(config);
        var database = SettingsSetup.Read(config, general);
        var clusterOptions = ClusterOptions.Read(config);
        if (diagnostics.HasErrors) return Report(diagnostics);
        if (command.ListCluster) return await ListClusterAsync(clusterOptions).ConfigureAwait(false);

        // --check-config validates the login lines but never creates the admin password file.
        var chain = LoginSetup.CreateChain(www, general, config, bootstrap: !command.CheckConfig);
        if (diagnostics.HasErrors)
        {
            chain?.Dispose();
            return Report(diagnostics);
        }
        // The delivery settings (throttles, pauses, …, REST API tokens): opened after the config is valid and before
        // anything listens. settings.Current is the snapshot the delivery engine queries; SettingsCache.ReloadAsync is
        // what the cluster's {"reload":true} calls. --check-config only validates database-address.
        // In a cluster the instance needs its id before the first snapshot (instance-scoped pauses); finding the FQDN may
        // ask DNS, which a lone instance does lazily instead.
        ConsoleIdentity? clusterIdentity = clusterOptions is null || command.CheckConfig ? null : ConsoleIdentity.From(www);
        string? instanceId = clusterIdentity is null ? null : ClusterState.InstanceIdFor(config.Get("server-id"), clusterIdentity);
        SettingsCache? settings = null;
        if (!command.CheckConfig)
        {
            var startup = new DatabaseStartup(Validate: config.GetBool("database-validate", true), Repair: command.RepairDatabase, Purge: command.PurgeDatabase);
            settings = await SettingsSetup.OpenAsync(database, config, startup, instanceId).ConfigureAwait(false);
            if (settings is null)
            {
                chain?.Dispose();
                return Report(diagnostics);
            }
        }
        await using var settingsLifetime = settings;
        var settingsApi = settings is null ? null : new SettingsApi(settings);
        var authResults = new AuthResultCounters();
        var auth = new ConsoleAuth(chain!, results: authResults) { BearerTokens = settingsApi };

        // Building the server loads certificates and cipher lists, so --check-config validates them too;
        // nothing is bound until Start.
        var metrics = new MetricsRegistry();
        // Chunks carry their WebSocket frame header, so each subscriber writes the same buffer.
        var trace = new TraceBus(new TraceBusOptions { FramePrefix = WebSocketFrameWriter.TracePrefix });
        // The overview numbers: the delivery engine records into it, /api/stats and /metrics read it.
        var overview = new OverviewCounters();
        var services = new ConsoleServices
        {
            Overview = overview,
            Metrics = metrics,
            Identity = clusterIdentity is null ? new Lazy<ConsoleIdentity>(() => ConsoleIdentity.From(www)) : new Lazy<ConsoleIdentity>(clusterIdentity),
            AuthResults = authResults,
            RenderUserAgent = www.RenderUserAgent,
            Settings = settingsApi,
            DeliverySettings = settings,
        };
        // The DKIM routes refuse plain HTTP and point to the HTTPS console, when there is one.
        if (settingsApi is not null && www.SecurePort is int securePort)
            settingsApi.Dkim.HttpsUrl = () => services.Identity.Value.Url is { } url && url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                ? url : ConsoleIdentity.DefaultUrl(services.Identity.Value.Host, null, securePort);
        var server = BuildServer(www, config, auth, metrics, trace, services, out var tls);
        var smtp = server is null ? null : MailSetup.Build(config, general, trace, metrics, checkOnly: command.CheckConfig);
        var delivery = smtp is null ? null : DeliverySetup.Read(config, smtp.Options.HostName);
        if (smtp is not null)
        {
            services.Smtp = smtp.Options;
            services.Queues = new QueueSizes(smtp.Options.Queue);
        }
        if (server is null || command.CheckConfig || diagnostics.HasErrors)
        {
            tls?.Dispose();
            chain?.Dispose();
            if (smtp is not null) await smtp.DisposeAsync().ConfigureAwait(false);
            return Report(diagnostics);
        }
        Report(diagnostics);

        using var stop = new StopSignal();
        var reloader = new LoginReloader(command, auth, www);
        using var tlsSource = tls;
        // SIGHUP reloads the certificate and key, and the login configuration, without dropping connections.
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            Log.Info("mailerq", "SIGHUP: reloading");
            tlsSource?.Reload();
            smtp?.Options.Certificate?.Reload();
            reloader.Reload();
            services.SendLog?.Reopen(); // logrotate
        });
        tlsSource?.WatchFiles();
        try
        {
            server.Start();
        }
        catch (SocketException ex)
        {
            diagnostics.Error(config.OriginOf("www-port") ?? ConfigOrigin.Default, "www-port", $"cannot listen: {ex.Message}");
            await smtp!.DisposeAsync().ConfigureAwait(false);
            return Report(diagnostics);
        }
        try
        {
            smtp!.Start();
        }
        catch (SocketException ex)
        {
            diagnostics.Error(config.OriginOf("smtp-port") ?? ConfigOrigin.Default, "smtp-port", $"cannot listen: {ex.Message}");
            await server.StopAsync(TimeSpan.Zero).ConfigureAwait(false);
            return Report(diagnostics);
        }
        // The cluster: announcements, {"reload":true} after every settings change, the database and broker watch.
        var identity = services.Identity.Value;
        await using var cluster = ClusterState.Start(instanceId ?? ClusterState.InstanceIdFor(config.Get("server-id"), identity), identity,
            settings!, (SqlSettingsStore)settings!.Store, clusterOptions);
        services.Cluster = cluster;
        using var stopDelivery = new CancellationTokenSource();
        var outbound = await DeliverySetup.StartAsync(delivery!, config, smtp.Options.Queue, settings!, overview, trace, smtp.Options, stopDelivery.Token).ConfigureAwait(false);
        settingsApi!.V1.Injector = outbound.Injector;
        services.SendLog = outbound.SendLog;
        services.Delivery = outbound.Engine;
        Log.Info("mailerq", "started", $"version={ProductInfo.Version} pid={Environment.ProcessId}");

        await stop.Task.ConfigureAwait(false);
        Log.Info("mailerq", "stopping", $"signal={stop.Signal}");
        // Both stop accepting at once; SMTP transactions and HTTP responses in flight finish within the budget.
        await Task.WhenAll(server.StopAsync(ShutdownBudget), smtp.StopAsync(ShutdownBudget)).ConfigureAwait(false);
        await smtp.DisposeAsync().ConfigureAwait(false);
        // Deliveries in flight finish their SMTP transaction (≤ 10 s); waiting ones stay queued for the next start.
        stopDelivery.Cancel();
        await outbound.DisposeAsync().ConfigureAwait(false);
        Log.Info("mailerq", "stopped");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// <c>mailerq --list-cluster</c>: one line per instance that announces itself within <c>cluster-timeout</c> (id, URL,
    /// host, version, start time, IPs); exit 0, or 1 when the broker cannot be reached, 2 when no cluster is configured.
    /// </summary>
    private static async Task<int> ListClusterAsync(ClusterOptions? options)
    {
        if (options is null)
        {
            Console.Error.WriteLine("mailerq: --list-cluster: no cluster configured (set cluster-address or rabbitmq-address)");
            return ExitCodes.BadConfig;
        }
        var (instances, error) = await ClusterLister.ListAsync(options).ConfigureAwait(false);
        if (instances is null)
        {
            Console.Error.WriteLine($"mailerq: --list-cluster: cannot reach the cluster exchange: {error}");
            return ExitCodes.Failure;
        }
        Console.Out.Write(ClusterLister.Describe(instances));
        return ExitCodes.Ok;
    }

    /// <summary>HSTS for one year once HTTPS is the only way in (RFC 6797); only sent when the plain port redirects.</summary>
    private static readonly byte[] StrictTransportSecurity = "Strict-Transport-Security: max-age=31536000\r\n"u8.ToArray();

    /// <summary><c>mailerq hash-password</c>: a password on stdin (one trailing newline dropped) → a <c>$6$</c> line.</summary>
    private static int HashPassword()
    {
        string input = Console.In.ReadToEnd();
        if (input.EndsWith("\r\n", StringComparison.Ordinal)) input = input[..^2];
        else if (input.EndsWith('\n')) input = input[..^1];
        try
        {
            Console.Out.WriteLine(PasswordHasher.HashSha512Crypt(input));
            return ExitCodes.Ok;
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"mailerq: hash-password: {ex.Message}");
            return ExitCodes.BadConfig;
        }
    }

    private static HttpServer? BuildServer(WwwSettings www, ConfigSet config, ConsoleAuth auth, MetricsRegistry metrics, TraceBus trace, ConsoleServices services, out TlsCertificateSource? tls)
    {
        tls = null;
        var options = new HttpServerOptions { MaxConnections = www.Connections };
        var address = www.Ip ?? (Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any);
        if (www.SecurePort is int securePort)
        {
            tls = TlsSetup.Load(www, config);
            if (tls is null) return null;
            var source = tls;
            options.Endpoints.Add(new HttpEndpoint(new IPEndPoint(address, securePort))
            {
                TlsOptions = () => source.Current,
                ResponseHeaders = www.Port is not null ? StrictTransportSecurity : [],
            });
        }
        if (www.Port is int port)
        {
            // MailerQ 5.x: with both ports set, the plain one only redirects to HTTPS.
            var redirect = www.SecurePort is int sp ? new HttpsRedirector(sp, www.Host ?? Dns.GetHostName()) : null;
            options.Endpoints.Insert(0, new HttpEndpoint(new IPEndPoint(address, port)) { Application = redirect is null ? null : redirect.HandleAsync });
        }
        if (options.Endpoints.Count == 0)
            Log.Warning("mailerq", "console disabled: www-port is 0 or empty and www-secure-port is unset");
        var webSockets = new WebSocketEndpoint(new WebSocketOptions(), trace, metrics, AuthorizeWebSocket);
        var application = new ConsoleApplication(www, auth, webSockets, services);
        var server = new HttpServer(options, application.HandleAsync);
        services.Http = server;
        metrics.Observe("http.connections", () => server.Limiter.Current);
        metrics.Observe("trace.subscribers", () => trace.SubscriberCount);
        metrics.Observe("trace.chunks", () => trace.PublishedChunks);
        metrics.Observe("trace.dropped", () => trace.DroppedChunks);
        return server;
    }

    /// <summary>
    /// The login check for <c>/ws</c>: the console's gate already ran (it protects <c>/ws</c> before
    /// routing) and left who the request is in <see cref="HttpContext.Principal"/>.
    /// </summary>
    private static bool AuthorizeWebSocket(HttpContext context) => context.Principal is not null;

    /// <summary>Prints errors as bare <c>ORIGIN: key: reason</c> lines and warnings as log lines.</summary>
    private static int Report(ConfigDiagnostics diagnostics)
    {
        foreach (var d in diagnostics)
        {
            if (d.Severity == ConfigSeverity.Error) Console.Error.WriteLine(d.ToString());
            else Log.Warning("config", d.ToString());
        }
        return diagnostics.HasErrors ? ExitCodes.BadConfig : ExitCodes.Ok;
    }

    /// <summary>SIGTERM/SIGINT end the process gracefully; the default handlers would kill it mid-response.</summary>
    private sealed class StopSignal : IDisposable
    {
        private readonly TaskCompletionSource _stop = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly PosixSignalRegistration _term;
        private readonly PosixSignalRegistration _int;

        public StopSignal()
        {
            _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            _int = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        }

        public Task Task => _stop.Task;
        public PosixSignal Signal { get; private set; }

        private void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            Signal = context.Signal;
            _stop.TrySetResult();
        }

        public void Dispose()
        {
            _term.Dispose();
            _int.Dispose();
        }
    }
}
