using MailerQ.Www.Core.Config;
using MailerQ.Www.Http;
using MailerQ.Www.Http.Parsing;
using MailerQ.Www.Http.Routing;
using MailerQ.Www.Http.StaticFiles;
using MailerQ.Www.Http.WebSockets;
using MailerQ.Www.Host.Web.Auth;
using MailerQ.Www.Host.Web.Settings;

namespace MailerQ.Www.Host.Web;

/// <summary>
/// The console's request pipeline: fixed routes first (<c>/healthz</c>, later the API), then the
/// static files of <c>www-dir</c>. Later issues add login and CSRF checks in front of the
/// protected prefixes, decided before routing (contract).
/// </summary>
internal sealed class ConsoleApplication : IDisposable
{
    private readonly Router _router = new();
    private readonly StaticFileEndpoint _static;

    private readonly ConsoleAuth _auth;

    public ConsoleApplication(WwwSettings settings, ConsoleAuth auth, WebSocketEndpoint? webSockets = null, SettingsApi? settingsApi = null)
    {
        _auth = auth;
        _static = new StaticFileEndpoint(settings.Dir, settings.CacheControl);
        _router.Map(HttpMethod.Get, "/healthz", Healthz);
        _router.Map(HttpMethod.Post, "/api/login", auth.LoginAsync);
        _router.Map(HttpMethod.Post, "/api/logout", auth.LogoutAsync);
        _router.Map(HttpMethod.Get, "/api/whoami", auth.WhoAmIAsync);
        if (webSockets is not null) _router.Map(HttpMethod.Get, "/ws", webSockets.HandleAsync);
        settingsApi?.Map(_router);
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
