using System.Buffers.Text;
using System.Text.Json;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Http;
using MailerQ.Www.Http.Parsing;
using MailerQ.Www.Http.Routing;

namespace MailerQ.Www.Console.Settings;

/// <summary>
/// "Local addresses" (MailerQ's table <c>locals</c>, 4.4/mgmt-local.md): <c>GET /api/locals</c> →
/// <c>[{"id","pattern","type"}]</c>, <c>POST /api/locals {"pattern","type"}</c>, <c>PUT /api/locals/{id}</c> (replaces
/// it: the row gets a new id), <c>DELETE /api/locals/{id}</c>. Types: exact, regex, fnmatch (wildcard), substr (substring).
/// Bodies are JSON or form, like REST v1.
/// </summary>
internal sealed class LocalsApi
{
    private readonly SettingsCache _settings;

    public LocalsApi(SettingsCache settings) => _settings = settings;

    public void Map(Router router)
    {
        router.Map(HttpMethod.Get, "/api/locals", ApiIo.Guard(List));
        router.Map(HttpMethod.Post, "/api/locals", ApiIo.Guard(CreateAsync));
        router.MapPrefix(HttpMethod.Put, "/api/locals/", ApiIo.Guard(UpdateAsync));
        router.MapPrefix(HttpMethod.Delete, "/api/locals/", ApiIo.Guard(DeleteAsync));
    }

    private ValueTask List(HttpContext context)
    {
        using var w = ApiIo.Json(context.Response);
        w.WriteStartArray();
        foreach (var l in _settings.Current.Data.Locals) Write(w, l);
        w.WriteEndArray();
        return ValueTask.CompletedTask;
    }

    private async ValueTask CreateAsync(HttpContext context)
    {
        var read = await ReadAsync(context).ConfigureAwait(false);
        if (read is not { } local) return;
        var user = ApiIo.UserOf(context);
        var stored = await _settings.WriteAsync((s, ct) => s.AddLocalAsync(local.Pattern, local.Type, user, ct)).ConfigureAwait(false);
        Log.Info("settings", "local address added", $"user={Log.Quote(user)} type={PatternTypes.ToText(stored.Type)} pattern={Log.Quote(stored.Pattern)}");
        using var w = ApiIo.Json(context.Response);
        Write(w, stored);
    }

    private async ValueTask UpdateAsync(HttpContext context)
    {
        if (!TryId(context, out long id)) return;
        var read = await ReadAsync(context).ConfigureAwait(false);
        if (read is not { } local) return;
        if (!Exists(id))
        {
            ApiIo.Error(context.Response, 404, "not found");
            return;
        }
        var user = ApiIo.UserOf(context);
        // The store has no update for locals (MailerQ's table is pattern + type only): add the new row, then remove
        // the old one, so a failure in between leaves both rather than neither.
        var stored = await _settings.WriteAsync(async (s, ct) =>
        {
            var added = await s.AddLocalAsync(local.Pattern, local.Type, user, ct).ConfigureAwait(false);
            await s.DeleteLocalAsync(id, user, ct).ConfigureAwait(false);
            return added;
        }).ConfigureAwait(false);
        Log.Info("settings", "local address changed", $"user={Log.Quote(user)} old={id} id={stored.Id} type={PatternTypes.ToText(stored.Type)} pattern={Log.Quote(stored.Pattern)}");
        using var w = ApiIo.Json(context.Response);
        Write(w, stored);
    }

    private async ValueTask DeleteAsync(HttpContext context)
    {
        if (!TryId(context, out long id)) return;
        var user = ApiIo.UserOf(context);
        bool found = await _settings.WriteAsync((s, ct) => s.DeleteLocalAsync(id, user, ct)).ConfigureAwait(false);
        Log.Info("settings", "local address removed", $"user={Log.Quote(user)} id={id} found={found}");
        ApiIo.Deleted(context.Response, found ? 1 : 0);
    }

    private bool Exists(long id)
    {
        foreach (var l in _settings.Current.Data.Locals)
            if (l.Id == id) return true;
        return false;
    }

    private static async ValueTask<(string Pattern, PatternType Type)?> ReadAsync(HttpContext context)
    {
        using var body = await ApiIo.ReadBodyAsync(context).ConfigureAwait(false);
        if (body is null) return null;
        if (!RequestFields.TryParseBody(context.Request.ContentType, body.WrittenSpan, out var f, out var error))
        {
            ApiIo.Error(context.Response, 400, error);
            return null;
        }
        var pattern = f.Text("pattern");
        var typeText = f.Text("type") ?? "exact";
        if (!PatternTypes.TryParse(typeText, out var type) || type == PatternType.Global)
        {
            ApiIo.Error(context.Response, 400, "type must be exact, regex, fnmatch (wildcard) or substr (substring)");
            return null;
        }
        if (pattern is null)
        {
            ApiIo.Error(context.Response, 400, "pattern is required");
            return null;
        }
        if (CompiledPattern.Validate(pattern, type) is { } why)
        {
            ApiIo.Error(context.Response, 400, why);
            return null;
        }
        return (pattern, type);
    }

    private static bool TryId(HttpContext context, out long id)
    {
        if (Utf8Parser.TryParse(context.RouteRemainder, out id, out int used) && used == context.RouteRemainder.Length && id > 0) return true;
        ApiIo.Error(context.Response, 404, "not found");
        return false;
    }

    private static void Write(Utf8JsonWriter w, LocalAddress l)
    {
        w.WriteStartObject();
        w.WriteNumber("id"u8, l.Id);
        w.WriteString("pattern"u8, l.Pattern);
        w.WriteString("type"u8, PatternTypes.ToText(l.Type));
        w.WriteEndObject();
    }
}
