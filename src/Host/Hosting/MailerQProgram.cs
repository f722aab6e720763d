using System.Net.Sockets;
using System.Runtime.InteropServices;
using MailerQ.Www.Core.Config;
using MailerQ.Www.Core.Diagnostics;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Auth.Crypt;
using MailerQ.Www.Console;
using MailerQ.Www.Console.Api;
using MailerQ.Www.Console.Hosting;
using MailerQ.Www.Host.Mail;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Host.Cluster;
using MailerQ.Www.Smtp.Cluster;
using MailerQ.Www.Smtp.Queue;
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

    private const string SocketEngineCount = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    /// <summary>
    /// SMTP sessions run on the socket engines' epoll threads (Smtp.InlineCompletions); the runtime's default of one
    /// engine per 30 cores would put every SMTP session of a 16-core server on a single thread. One engine per four
    /// cores: on the 2-core test machine that is the runtime's own one (two engines measured 10–25 % more CPU per
    /// message there: each epoll thread competes with the journal writer and the clients); bigger machines are not
    /// measured. The runtime reads the variable once, when the first socket is registered, so it is set before
    /// anything opens one; an operator's own value wins.
    /// </summary>
    private static void UseSocketEnginesForInlineSmtp()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(SocketEngineCount)))
            Environment.SetEnvironmentVariable(SocketEngineCount, Math.Max(1, Environment.ProcessorCount / 4).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public static async Task<int> RunAsync(string[] args)
    {
        UseSocketEnginesForInlineSmtp();
        var diagnostics = new ConfigDiagnostics();
        var command = CommandLine.Parse(args, diagnostics);
        if (command.Help)
        {
            System.Console.Out.Write(CommandLine.Usage);
            return ExitCodes.Ok;
        }
        if (command.Version)
        {
            System.Console.Out.WriteLine($"mailerq {ProductInfo.Version}");
            return ExitCodes.Ok;
        }
        if (diagnostics.HasErrors) return Report(diagnostics);
        if (command.Command == CommandLine.HashPasswordCommand) return HashPassword();

        var config = ConfigLoader.Load(command, diagnostics);
        var general = GeneralSettings.Read(config);
        var consoleOptions = ConsoleOptions.FromConfig(config, general);
        var www = consoleOptions.Www;
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
        // Before the settings database and the queue touch the data directory (the queue's recovery rewrites it).
        DataDirectoryLock? dataLock = null;
        if (!command.CheckConfig)
        {
            dataLock = DataDirectoryLock.TryAcquire(general.DataDirectory, out string? lockError);
            if (dataLock is null)
            {
                diagnostics.Error(config.OriginOf("data-directory") ?? ConfigOrigin.Default, "data-directory", lockError!);
                chain?.Dispose();
                return Report(diagnostics);
            }
        }
        using var dataLockLifetime = dataLock;
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

        // Building the console loads certificates and cipher lists, so --check-config validates them too;
        // nothing is bound until Start. The product composes the console the way an embedding MTA does
        // (docs/embedding.md), plus the login chain, settings database and cluster identity only it has.
        await using var server = ConsoleServer.Create(consoleOptions, chain!, settings, clusterIdentity);
        var trace = server?.Trace;
        var metrics = server?.Metrics;
        var overview = server?.Overview;
        var smtp = server is null ? null : MailSetup.Build(config, general, trace!, metrics!, checkOnly: command.CheckConfig);
        var delivery = smtp is null ? null : DeliverySetup.Read(config, smtp.Options.HostName);
        if (smtp is not null)
        {
            server!.Sessions = smtp.Options.Sessions;
            server.Inbound = smtp.Options.Counters;
            server.Messages = smtp.Options.Store;
            server.Queues = new QueueSizes(smtp.Options.Queue);
        }
        if (server is null || command.CheckConfig || diagnostics.HasErrors)
        {
            if (server is null) chain?.Dispose();
            if (smtp is not null) await smtp.DisposeAsync().ConfigureAwait(false);
            return Report(diagnostics);
        }
        Report(diagnostics);

        using var stop = new StopSignal();
        var reloader = new LoginReloader(command, server.Auth, www);
        var tlsSource = server.Tls;
        MailerQ.Www.Smtp.Delivery.Results.SendLog? sendLog = null;
        // SIGHUP reloads the certificate and key, and the login configuration, without dropping connections.
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            Log.Info("mailerq", "SIGHUP: reloading");
            tlsSource?.Reload();
            smtp?.Options.Certificate?.Reload();
            reloader.Reload();
            sendLog?.Reopen(); // logrotate
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
        var identity = server.Services.Identity.Value;
        await using var cluster = ClusterState.Start(instanceId ?? ClusterState.InstanceIdFor(config.Get("server-id"), identity), identity,
            settings!, (SqlSettingsStore)settings!.Store, clusterOptions);
        server.Cluster = cluster;
        using var stopDelivery = new CancellationTokenSource();
        var outbound = await DeliverySetup.StartAsync(delivery!, config, smtp.Options.Queue, settings!, overview!, trace!, smtp.Options, stopDelivery.Token).ConfigureAwait(false);
        server.Injector = outbound.Injector;
        server.SendLog = sendLog = outbound.SendLog;
        server.Delivery = outbound.Engine;
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
            System.Console.Error.WriteLine("mailerq: --list-cluster: no cluster configured (set cluster-address or rabbitmq-address)");
            return ExitCodes.BadConfig;
        }
        var (instances, error) = await ClusterLister.ListAsync(options).ConfigureAwait(false);
        if (instances is null)
        {
            System.Console.Error.WriteLine($"mailerq: --list-cluster: cannot reach the cluster exchange: {error}");
            return ExitCodes.Failure;
        }
        System.Console.Out.Write(ClusterLister.Describe(instances));
        return ExitCodes.Ok;
    }

    /// <summary><c>mailerq hash-password</c>: a password on stdin (one trailing newline dropped) → a <c>$6$</c> line.</summary>
    private static int HashPassword()
    {
        string input = System.Console.In.ReadToEnd();
        if (input.EndsWith("\r\n", StringComparison.Ordinal)) input = input[..^2];
        else if (input.EndsWith('\n')) input = input[..^1];
        try
        {
            System.Console.Out.WriteLine(PasswordHasher.HashSha512Crypt(input));
            return ExitCodes.Ok;
        }
        catch (ArgumentException ex)
        {
            System.Console.Error.WriteLine($"mailerq: hash-password: {ex.Message}");
            return ExitCodes.BadConfig;
        }
    }

    /// <summary>Prints errors as bare <c>ORIGIN: key: reason</c> lines and warnings as log lines.</summary>
    private static int Report(ConfigDiagnostics diagnostics)
    {
        foreach (var d in diagnostics)
        {
            if (d.Severity == ConfigSeverity.Error) System.Console.Error.WriteLine(d.ToString());
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
