using MailerQ.Www.Core.Config;
using MailerQ.Www.Http;
using MailerQ.Www.Http.Parsing;
using MailerQ.Www.Http.Routing;
using MailerQ.Www.Http.StaticFiles;
using MailerQ.Www.Http.WebSockets;
using MailerQ.Www.Console.Api;
using MailerQ.Www.Console.Auth;
using MailerQ.Www.Console.Metrics;
using MailerQ.Www.Console.Render;
using MailerQ.Www.Console.Settings;

namespace MailerQ.Www.Console;

/// <summary>
/// The console's request pipeline: the login gate for protected prefixes (decided before routing,
/// contract), fixed routes (<c>/healthz</c>, login, the read API, <c>/metrics</c>, <c>/render/</c>), then the
/// static files of <c>www-dir</c>. Routes are listed in docs/console-api.md.
/// </summary>
internal sealed class ConsoleApplication : IDisposable
{
    private readonly Router _router = new();
    private readonly StaticFileEndpoint _static;

    private readonly ConsoleAuth _auth;

    public ConsoleApplication(WwwSettings settings, ConsoleAuth auth, WebSocketEndpoint? webSockets = null, ConsoleServices? services = null)
    {
        _auth = auth;
        _static = new StaticFileEndpoint(settings.Dir, settings.CacheControl);
        _router.Map(HttpMethod.Get, "/healthz", Healthz);
        _router.Map(HttpMethod.Post, "/api/login", auth.LoginAsync);
        _router.Map(HttpMethod.Post, "/api/logout", auth.LogoutAsync);
        _router.Map(HttpMethod.Get, "/api/whoami", auth.WhoAmIAsync);
        if (webSockets is not null) _router.Map(HttpMethod.Get, "/ws", webSockets.HandleAsync);
        if (services is not null) MapReadApi(services);
        services?.Settings?.Map(_router);
        if (services is not null) MapCluster(services, auth);
    }

    /// <summary>The console's read API (CONTRACT.md "Console API"); everything here is behind the gate.</summary>
    private void MapReadApi(ConsoleServices services)
    {
        var stats = new StatsEndpoint(services);
        var sessions = new SessionsEndpoint(services);
        _router.Map(HttpMethod.Get, "/api/stats", stats.StatsAsync);
        _router.Map(HttpMethod.Get, "/api/stats/history", stats.HistoryAsync);
        _router.Map(HttpMethod.Get, "/api/smtp/sessions", sessions.ListAsync);
        _router.MapPrefix(HttpMethod.Get, "/api/smtp/sessions/", sessions.TranscriptAsync);
        _router.MapPrefix(HttpMethod.Get, "/api/messages/", new MessagesEndpoint(services).HandleAsync);
        _router.MapPrefix(HttpMethod.Get, "/render/", new RenderEndpoint(services).HandleAsync);
        _router.Map(HttpMethod.Get, "/api/cluster", new ClusterEndpoint(services).HandleAsync);
        _router.Map(HttpMethod.Get, "/metrics", new PrometheusEndpoint(services).HandleAsync);
        _router.Map(HttpMethod.Get, "/api/logs", new LogsEndpoint(services).HandleAsync);
        _router.Map(HttpMethod.Get, "/api/render-policy", new RenderPolicyEndpoint(services).HandleAsync);
        MapListsApi(services);
    }

    /// <summary>The Domains, MTA IPs and Tags pages and the overview's status bar (docs/console-api.md "Lists").</summary>
    private void MapListsApi(ConsoleServices services)
    {
        var domains = new DomainsEndpoint(services);
        var ips = new MtaIpsEndpoint(services);
        var tags = new TagsEndpoint(services);
        _router.Map(HttpMethod.Get, "/api/status", new StatusEndpoint(services).HandleAsync);
        _router.Map(HttpMethod.Get, "/api/domains", domains.ListAsync);
        _router.MapPrefix(HttpMethod.Get, "/api/domains/", domains.ItemAsync);
        _router.Map(HttpMethod.Get, "/api/ips", ips.ListAsync);
        _router.MapPrefix(HttpMethod.Get, "/api/ips/", ips.ItemAsync);
        _router.MapPrefix(HttpMethod.Put, "/api/ips/", ApiIo.Guard(ips.RenameAsync));
        _router.Map(HttpMethod.Get, "/api/tags", tags.ListAsync);
        _router.MapPrefix(HttpMethod.Get, "/api/tags/", tags.ItemAsync);
    }

    /// <summary>Switching consoles between instances (docs/cluster.md); <c>/cluster/enter</c> is where a browser without a session arrives.</summary>
    private void MapCluster(ConsoleServices services, ConsoleAuth auth)
    {
        var cluster = new SwitchEndpoint(services, auth);
        _router.Map(HttpMethod.Post, "/api/cluster/switch", cluster.SwitchAsync);
        _router.Map(HttpMethod.Get, "/cluster/enter", cluster.EnterAsync);
    }

    public ValueTask HandleAsync(HttpContext context)
    {
        // Contract: login (401) and CSRF (403) are decided before routing, so an unknown route under a
        // protected prefix still answers 401/403 first.
        if (ConsoleAuth.IsProtected(context.Request.Path)) return GatedAsync(context);
        return RouteAsync(context);
    }

    private async ValueTask GatedAsync(HttpContext context)
    {
        if (await _auth.GateAsync(context).ConfigureAwait(false))
            await RouteAsync(context).ConfigureAwait(false);
    }

    private ValueTask RouteAsync(HttpContext context)
    {
        if (_router.TryMatch(context, out var handler, out bool otherMethod))
            return handler(context);
        if (otherMethod)
        {
            context.Response.SetError(405);
            return ValueTask.CompletedTask;
        }
        if (ConsoleAuth.IsProtected(context.Request.Path))
        {
            context.Response.SetError(404);
            return ValueTask.CompletedTask;
        }
        return _static.HandleAsync(context);
    }

    /// <summary>For load balancers and benchmarks: no login, no body to parse, no allocation.</summary>
    private static ValueTask Healthz(HttpContext context)
    {
        context.Response.SetText(200, "ok"u8);
        return ValueTask.CompletedTask;
    }

    public void Dispose() => _static.Dispose();
}
