using System.Buffers.Text;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Http;
using MailerQ.Www.Http.Parsing;
using MailerQ.Www.Http.Routing;

namespace MailerQ.Www.Console.Settings;

/// <summary>
/// The console's "Email throttling" routes: <c>GET|POST /api/throttles</c>, <c>PUT|DELETE /api/throttles/{id}</c>, and
/// <c>GET /api/throttles/effective?mta=IP&amp;domain=D</c> (every limit after the cascade with the throttle that set it,
/// so the console can highlight the limiting one). Changes are in force before the answer.
/// </summary>
internal sealed class ThrottleApi
{
    private readonly SettingsCache _settings;

    public ThrottleApi(SettingsCache settings) => _settings = settings;

    public void Map(Router router)
    {
        router.Map(HttpMethod.Get, "/api/throttles", ApiIo.Guard(List));
        router.Map(HttpMethod.Post, "/api/throttles", ApiIo.Guard(CreateAsync));
        router.Map(HttpMethod.Get, "/api/throttles/effective", ApiIo.Guard(Effective));
        router.MapPrefix(HttpMethod.Put, "/api/throttles/", ApiIo.Guard(UpdateAsync));
        router.MapPrefix(HttpMethod.Delete, "/api/throttles/", ApiIo.Guard(DeleteAsync));
    }

    private ValueTask List(HttpContext context)
    {
        using var w = ApiIo.Json(context.Response);
        w.WriteStartArray();
        foreach (var t in _settings.Current.Throttles) ThrottleJson.Write(w, t);
        w.WriteEndArray();
        return ValueTask.CompletedTask;
    }

    private ValueTask Effective(HttpContext context)
    {
        var q = RequestFields.FromQuery(context.Request.Query);
        var mta = q.Text("mta") ?? "*";
        var domain = q.Text("domain") ?? "*";
        var resolved = _settings.Current.ResolveThrottle(mta, domain);
        using var w = ApiIo.Json(context.Response);
        w.WriteStartObject();
        w.WriteString("mta"u8, mta);
        w.WriteString("domain"u8, domain);
        w.WriteStartObject("limits"u8);
        foreach (var limit in Enum.GetValues<ThrottleLimit>())
        {
            w.WriteStartObject(ThrottleJson.NameOf(limit));
            w.WriteNumber("value"u8, resolved.Get(limit));
            if (resolved.SourceOf(limit) is { } source) w.WriteString("source"u8, source);
            else w.WriteNull("source"u8);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
        return ValueTask.CompletedTask;
    }

    private async ValueTask CreateAsync(HttpContext context)
    {
        var throttle = await ReadAsync(context).ConfigureAwait(false);
        if (throttle is null) return;
        var user = ApiIo.UserOf(context);
        var stored = await _settings.WriteAsync((s, ct) => s.AddThrottleAsync(throttle, user, ct)).ConfigureAwait(false);
        Log.Info("settings", "throttle created", $"user={Log.Quote(user)} id={stored.Id} name={Log.Quote(stored.Name)}");
        using var w = ApiIo.Json(context.Response);
        ThrottleJson.Write(w, stored);
    }

    private async ValueTask UpdateAsync(HttpContext context)
    {
        if (!TryId(context, out long id)) return;
        var throttle = await ReadAsync(context).ConfigureAwait(false);
        if (throttle is null) return;
        var user = ApiIo.UserOf(context);
        throttle = throttle with { Id = id };
        bool found = await _settings.WriteAsync((s, ct) => s.UpdateThrottleAsync(throttle, user, ct)).ConfigureAwait(false);
        if (!found)
        {
            ApiIo.Error(context.Response, 404, "not found");
            return;
        }
        Log.Info("settings", "throttle updated", $"user={Log.Quote(user)} id={id} name={Log.Quote(throttle.Name)}");
        using var w = ApiIo.Json(context.Response);
        ThrottleJson.Write(w, throttle);
    }

    private async ValueTask DeleteAsync(HttpContext context)
    {
        if (!TryId(context, out long id)) return;
        var user = ApiIo.UserOf(context);
        bool found = await _settings.WriteAsync((s, ct) => s.DeleteThrottleAsync(id, user, ct)).ConfigureAwait(false);
        Log.Info("settings", "throttle deleted", $"user={Log.Quote(user)} id={id} found={found}");
        ApiIo.Deleted(context.Response, found ? 1 : 0);
    }

    private static bool TryId(HttpContext context, out long id)
    {
        if (Utf8Parser.TryParse(context.RouteRemainder, out id, out int used) && used == context.RouteRemainder.Length && id > 0) return true;
        ApiIo.Error(context.Response, 404, "not found");
        return false;
    }

    private static async ValueTask<Throttle?> ReadAsync(HttpContext context)
    {
        using var body = await ApiIo.ReadBodyAsync(context).ConfigureAwait(false);
        if (body is null) return null;
        if (ThrottleJson.TryRead(body.WrittenSpan, out var throttle, out var error)) return throttle;
        ApiIo.Error(context.Response, 400, error);
        return null;
    }
}
