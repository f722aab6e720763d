using System.Text.Json;
using MailerQ.Www.Core.Buffers;
using MailerQ.Www.Core.Delivery;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Http;
using MailerQ.Www.Http.Parsing;
using MailerQ.Www.Http.Routing;
using MailerQ.Www.Console.Auth;

namespace MailerQ.Www.Console.Settings;

/// <summary>
/// MailerQ's REST API v1 (5.13/rest-api-v1*.md): <c>/v1/pauses</c>, <c>/v1/errors</c>, <c>/v1/pools</c>,
/// <c>/v1/poolips</c>, <c>/v1/suppressions</c> and <c>/v1/inject</c>. Bodies are JSON or form-encoded (inject:
/// JSON only); DELETE carries a body naming the item with the same fields as POST. Conflicting or invalid fields
/// answer 400 <c>{"error":"…"}</c>, refusals by the data 409, a DELETE that matched nothing 404. Every write is
/// logged with its user, audited in the database and in force (the cache reloaded) before the answer goes out.
/// </summary>
internal sealed class RestApiV1
{
    private readonly SettingsCache _settings;

    public RestApiV1(SettingsCache settings) => _settings = settings;

    /// <summary>Where <c>/v1/inject</c> puts messages; null until the delivery engine provides one (then 503).</summary>
    public IOutboxInjector? Injector { get; set; }

    public void Map(Router router)
    {
        router.Map(HttpMethod.Get, "/v1/pauses", ApiIo.Guard(GetPauses));
        router.Map(HttpMethod.Post, "/v1/pauses", ApiIo.Guard(PostPauseAsync));
        router.Map(HttpMethod.Delete, "/v1/pauses", ApiIo.Guard(DeletePauseAsync));
        router.Map(HttpMethod.Get, "/v1/errors", ApiIo.Guard(GetErrors));
        router.Map(HttpMethod.Post, "/v1/errors", ApiIo.Guard(PostErrorAsync));
        router.Map(HttpMethod.Delete, "/v1/errors", ApiIo.Guard(DeleteErrorAsync));
        router.Map(HttpMethod.Get, "/v1/pools", ApiIo.Guard(GetPools));
        router.Map(HttpMethod.Post, "/v1/pools", ApiIo.Guard(PostPoolAsync));
        router.Map(HttpMethod.Delete, "/v1/pools", ApiIo.Guard(DeletePoolAsync));
        router.Map(HttpMethod.Get, "/v1/poolips", ApiIo.Guard(GetPoolIps));
        router.Map(HttpMethod.Post, "/v1/poolips", ApiIo.Guard(PostPoolIpAsync));
        router.Map(HttpMethod.Delete, "/v1/poolips", ApiIo.Guard(DeletePoolIpAsync));
        router.Map(HttpMethod.Get, "/v1/suppressions", ApiIo.Guard(GetSuppressions));
        router.Map(HttpMethod.Post, "/v1/suppressions", ApiIo.Guard(PostSuppressionAsync));
        router.Map(HttpMethod.Delete, "/v1/suppressions", ApiIo.Guard(DeleteSuppressionAsync));
        router.Map(HttpMethod.Post, "/v1/inject", ApiIo.Guard(InjectAsync));
    }

    // ---- pauses ------------------------------------------------------------------------------------

    private ValueTask GetPauses(HttpContext context)
    {
        using var w = ApiIo.Json(context.Response);
        w.WriteStartArray();
        var data = _settings.Current.Data;
        // What applies here: cluster-wide rows and this instance's own (another instance's local pauses are its business).
        foreach (var p in data.Pauses)
            if (SettingsSnapshot.AppliesHere(p.Cluster, p.Instance, data.LocalInstance)) SettingsJson.Write(w, p);
        w.WriteEndArray();
        return ValueTask.CompletedTask;
    }

    private async ValueTask PostPauseAsync(HttpContext context)
    {
        var f = await ReadFieldsAsync(context).ConfigureAwait(false);
        if (f is null) return;
        if (!Selectors.TryRead(f, out var s, out var error) || !f.TryBool("cluster", out bool cluster, out error) || !f.TryTime("expire", out var expire, out error))
        {
            ApiIo.Error(context.Response, 400, error);
            return;
        }
        var user = ApiIo.UserOf(context);
        var pause = new Pause { Mta = s.Mta, Pool = s.Pool, Domain = s.Domain, Ip = s.Ip, Tag = s.Tag, Cluster = cluster, Expire = expire };
        var stored = await _settings.WriteAsync((store, ct) => store.AddPauseAsync(pause, user, ct)).ConfigureAwait(false);
        Log.Info("settings", "pause added", $"user={Log.Quote(user)} {Describe(s)} expire={(expire is { } e ? ApiIo.FormatTime(e).Replace(' ', 'T') : "never")}");
        using var w = ApiIo.Json(context.Response);
        SettingsJson.Write(w, stored);
    }

    private async ValueTask DeletePauseAsync(HttpContext context)
    {
        var f = await ReadFieldsAsync(context).ConfigureAwait(false);
        if (f is null) return;
        if (!Selectors.TryRead(f, out var s, out var error))
        {
            ApiIo.Error(context.Response, 400, error);
            return;
        }
        var user = ApiIo.UserOf(context);
        var selection = new Pause { Mta = s.Mta, Pool = s.Pool, Domain = s.Domain, Ip = s.Ip, Tag = s.Tag };
        int n = await _settings.WriteAsync((store, ct) => store.DeletePausesAsync(selection, user, ct)).ConfigureAwait(false);
        Log.Info("settings", "pause removed", $"user={Log.Quote(user)} {Describe(s)} count={n}");
        ApiIo.Deleted(context.Response, n);
    }

    // ---- forced errors -----------------------------------------------------------------------------

    private ValueTask GetErrors(HttpContext context)
    {
        using var w = ApiIo.Json(context.Response);
        w.WriteStartArray();
        var data = _settings.Current.Data;
        foreach (var e in data.ForcedErrors)
            if (SettingsSnapshot.AppliesHere(e.Cluster, e.Instance, data.LocalInstance)) SettingsJson.Write(w, e);
        w.WriteEndArray();
        return ValueTask.CompletedTask;
    }

    private async ValueTask PostErrorAsync(HttpContext context)
    {
        var f = await ReadFieldsAsync(context).ConfigureAwait(false);
        if (f is null) return;
        if (!Selectors.TryRead(f, out var s, out var error) || !TryReadReply(f, required: true, out int? code, out var extended, out var description, out error)
            || !f.TryBool("cluster", out bool cluster, out error))
        {
            ApiIo.Error(context.Response, 400, error);
            return;
        }
        var user = ApiIo.UserOf(context);
        var forced = new ForcedError { Code = code!.Value, Extended = extended, Description = description, Mta = s.Mta, Pool = s.Pool, Domain = s.Domain, Ip = s.Ip, Tag = s.Tag, Cluster = cluster };
        var stored = await _settings.WriteAsync((store, ct) => store.AddForcedErrorAsync(forced, user, ct)).ConfigureAwait(false);
        Log.Info("settings", "forced error added", $"user={Log.Quote(user)} {Describe(s)} code={code} extended={extended}");
        using var w = ApiIo.Json(context.Response);
        SettingsJson.Write(w, stored);
    }

    private async ValueTask DeleteErrorAsync(HttpContext context)
    {
        var f = await ReadFieldsAsync(context).ConfigureAwait(false);
        if (f is null) return;
        if (!Selectors.TryRead(f, out var s, out var error))
        {
            ApiIo.Error(context.Response, 400, error);
            return;
        }
        var user = ApiIo.UserOf(context);
        var selection = new ForcedError { Mta = s.Mta, Pool = s.Pool, Domain = s.Domain, Ip = s.Ip, Tag = s.Tag };
        int n = await _settings.WriteAsync((store, ct) => store.DeleteForcedErrorsAsync(selection, user, ct)).ConfigureAwait(false);
        Log.Info("settings", "forced error removed", $"user={Log.Quote(user)} {Describe(s)} count={n}");
        ApiIo.Deleted(context.Response, n);
    }

    /// <summary><c>code</c> 200–599, <c>extended</c> like <c>5.7.1</c> (RFC 3463), <c>description</c>.</summary>
    private static bool TryReadReply(RequestFields f, bool required, out int? code, out string? extended, out string? description, out string error)
    {
        extended = f.Text("extended");
        description = f.Text("description");
        if (!f.TryInt("code", 200, 599, out code, out error)) return false;
        if (required && code is null)
        {
            error = "code is required (200 to 599)";
            return false;
        }
        if (extended is not null && !IsEnhancedStatus(extended))
        {
            error = "extended must be an enhanced status code like 5.7.1";
            return false;
        }
        if (description is { Length: > 1000 })
        {
            error = "description is longer than 1000 characters";
            return false;
        }
        return true;
    }

    /// <summary>RFC 3463 §2: class "." subject (1–3 digits) "." detail (1–3 digits), class 2, 4 or 5.</summary>
    private static bool IsEnhancedStatus(string text)
    {
        var parts = text.Split('.');
        if (parts.Length != 3 || parts[0] is not ("2" or "4" or "5")) return false;
        for (int i = 1; i < 3; i++)
        {
            if (parts[i].Length is 0 or > 3) return false;
            foreach (char c in parts[i]) if (!char.IsAsciiDigit(c)) return false;
        }
        return true;
    }

    // ---- pools -------------------------------------------------------------------------------------

    private ValueTask GetPools(HttpContext context)
    {
        using var w = ApiIo.Json(context.Response);
        w.WriteStartArray();
        foreach (var p in _settings.Current.Data.Pools) SettingsJson.Write(w, p);
        w.WriteEndArray();
        return ValueTask.CompletedTask;
    }

    private async ValueTask PostPoolAsync(HttpContext context)
    {
        var f = await ReadFieldsAsync(context).ConfigureAwait(false);
        if (f is null) return;
        var name = f.Text("name");
        var description = f.Text("description");
        if (name is null || !Selectors.IsPoolName(name))
        {
            ApiIo.Error(context.Response, 400, name is null ? "name is required" : "name must be 1 to 64 letters, digits, '-', '_' or '.'");
            return;
        }
        if (description is { Length: > 1000 })
        {
            ApiIo.Error(context.Response, 400, "description is longer than 1000 characters");
            return;
        }
        var user = ApiIo.UserOf(context);
        var pool = new IpPool(name, description);
        await _settings.WriteAsync(async (store, ct) =>
        {
            await store.AddPoolAsync(pool, user, ct).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
        Log.Info("settings", "pool stored", $"user={Log.Quote(user)} name={name}");
        using var w = ApiIo.Json(context.Response);
        SettingsJson.Write(w, pool);
    }

    private async ValueTask DeletePoolAsync(HttpContext context)
    {
        var f = await ReadFieldsAsync(context).ConfigureAwait(false);
        if (f is null) return;
        var name = f.Text("name");
        if (name is null)
        {
            ApiIo.Error(context.Response, 400, "name is required");
            return;
        }
        var user = ApiIo.UserOf(context);
        bool removed = await _settings.WriteAsync((store, ct) => store.DeletePoolAsync(name, user, ct)).ConfigureAwait(false);
        Log.Info("settings", "pool removed", $"user={Log.Quote(user)} name={Log.Quote(name)} found={removed}");
        ApiIo.Deleted(context.Response, removed ? 1 : 0);
    }

    private ValueTask GetPoolIps(HttpContext context)
    {
        var name = RequestFields.FromQuery(context.Request.Query).Text("name");
        using var w = ApiIo.Json(context.Response);
        w.WriteStartArray();
        foreach (var ip in _settings.Current.Data.PoolIps)
            if (name is null || string.Equals(ip.Name, name, StringComparison.Ordinal)) SettingsJson.Write(w, ip);
        w.WriteEndArray();
        return ValueTask.CompletedTask;
    }

    private async ValueTask PostPoolIpAsync(HttpContext context)
    {
        var f = await ReadFieldsAsync(context).ConfigureAwait(false);
        if (f is null) return;
        var ip = f.Text("ip");
        var name = f.Text("name");
        if (ip is null || name is null)
        {
            ApiIo.Error(context.Response, 400, "ip and name are required");
            return;
        }
        if (!Selectors.IsIp(ip))
        {
            ApiIo.Error(context.Response, 400, "ip must be an IP address");
            return;
        }
        var user = ApiIo.UserOf(context);
        var entry = new PoolIp(System.Net.IPAddress.Parse(ip).ToString(), name);
        try
        {
            await _settings.WriteAsync(async (store, ct) =>
            {
                await store.AddPoolIpAsync(entry, user, ct).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
        }
        catch (SettingsConflictException ex)
        {
            ApiIo.Conflict(context.Response, ex);
            return;
        }
        Log.Info("settings", "pool ip added", $"user={Log.Quote(user)} ip={entry.Ip} pool={Log.Quote(name)}");
        using var w = ApiIo.Json(context.Response);
        SettingsJson.Write(w, entry);
    }

    private async ValueTask DeletePoolIpAsync(HttpContext context)
    {
        var f = await ReadFieldsAsync(context).ConfigureAwait(false);
        if (f is null) return;
        var ip = f.Text("ip");
        if (ip is null || !Selectors.IsIp(ip))
        {
            ApiIo.Error(context.Response, 400, ip is null ? "ip is required" : "ip must be an IP address");
            return;
        }
        var user = ApiIo.UserOf(context);
        var entry = new PoolIp(System.Net.IPAddress.Parse(ip).ToString(), f.Text("name") ?? "");
        bool removed = await _settings.WriteAsync((store, ct) => store.DeletePoolIpAsync(entry, user, ct)).ConfigureAwait(false);
        Log.Info("settings", "pool ip removed", $"user={Log.Quote(user)} ip={entry.Ip} found={removed}");
        ApiIo.Deleted(context.Response, removed ? 1 : 0);
    }

    // ---- suppressions ------------------------------------------------------------------------------

    private ValueTask GetSuppressions(HttpContext context)
    {
        using var w = ApiIo.Json(context.Response);
        w.WriteStartArray();
        foreach (var s in _settings.Current.Data.Suppressions) SettingsJson.Write(w, s);
        w.WriteEndArray();
        return ValueTask.CompletedTask;
    }

    private async ValueTask PostSuppressionAsync(HttpContext context)
    {
        var f = await ReadFieldsAsync(context).ConfigureAwait(false);
        if (f is null) return;
        var type = f.Text("type")?.ToLowerInvariant();
        var value = f.Text("value")?.ToLowerInvariant();
        string error = "";
        if (type is not ("address" or "domain")) error = "type must be address or domain";
        else if (value is null) error = "value is required";
        else if (value.Length > 320 || value.AsSpan().ContainsAny(" \t\r\n")) error = "value must be an email address or a domain";
        else if (type == "address" != value.Contains('@', StringComparison.Ordinal)) error = type == "address" ? "an address needs an @" : "a domain has no @";
        if (error.Length > 0 || !TryReadReply(f, required: false, out int? code, out var extended, out var description, out error))
        {
            ApiIo.Error(context.Response, 400, error);
            return;
        }
        var user = ApiIo.UserOf(context);
        var suppression = new Suppression
        {
            Type = type == "domain" ? SuppressionType.Domain : SuppressionType.Address,
            Value = value!,
            Code = code,
            Extended = extended,
            Description = description,
        };
        var stored = await _settings.WriteAsync((store, ct) => store.AddSuppressionAsync(suppression, user, ct)).ConfigureAwait(false);
        Log.Info("settings", "suppression added", $"user={Log.Quote(user)} type={type} value={Log.Quote(value)}");
        using var w = ApiIo.Json(context.Response);
        SettingsJson.Write(w, stored);
    }

    private async ValueTask DeleteSuppressionAsync(HttpContext context)
    {
        var f = await ReadFieldsAsync(context).ConfigureAwait(false);
        if (f is null) return;
        var value = f.Text("value")?.ToLowerInvariant();
        if (value is null)
        {
            ApiIo.Error(context.Response, 400, "value is required");
            return;
        }
        var user = ApiIo.UserOf(context);
        bool removed = await _settings.WriteAsync((store, ct) => store.DeleteSuppressionAsync(value, user, ct)).ConfigureAwait(false);
        Log.Info("settings", "suppression removed", $"user={Log.Quote(user)} value={Log.Quote(value)} found={removed}");
        ApiIo.Deleted(context.Response, removed ? 1 : 0);
    }

    // ---- inject ------------------------------------------------------------------------------------

    /// <summary>
    /// <c>POST /v1/inject</c>: a MailerQ outbox message as JSON (5.13/rest-api-v1-inject.md). It must be an object with
    /// <c>recipient</c> and <c>mime</c> or <c>key</c>; MailerQ's <c>http</c> property (json-incoming.md: authentication
    /// = the token's name, remote-ip, remote-port) replaces any the client sent.
    /// </summary>
    private async ValueTask InjectAsync(HttpContext context)
    {
        using var body = await ApiIo.ReadBodyAsync(context).ConfigureAwait(false);
        if (body is null) return;
        if (RequestFields.IsForm(context.Request.ContentType) && !RequestFields.LooksLikeJson(body.WrittenSpan))
        {
            ApiIo.Error(context.Response, 400, "inject takes a JSON body");
            return;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.WrittenMemory, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            ApiIo.Error(context.Response, 400, "malformed JSON");
            return;
        }
        using (document)
        {
            var root = document.RootElement;
            var error = root.ValueKind != JsonValueKind.Object ? "the body must be a JSON object"
                : !root.TryGetProperty("recipient"u8, out var recipient) || recipient.ValueKind != JsonValueKind.String || recipient.GetString()!.Trim().Length == 0 ? "recipient is required"
                : HasMime(root) ? null : "mime or key is required";
            if (error is not null)
            {
                ApiIo.Error(context.Response, 400, error);
                return;
            }
            var injector = Injector;
            if (injector is null)
            {
                ApiIo.Error(context.Response, 503, "no outbox");
                return;
            }

            using var message = new PooledBufferWriter(body.WrittenCount + 128);
            using (var w = new Utf8JsonWriter(message))
            {
                w.WriteStartObject();
                foreach (var property in root.EnumerateObject())
                    if (!property.NameEquals("http"u8)) property.WriteTo(w);
                w.WritePropertyName("http"u8);
                w.WriteStartObject();
                if (context.Principal is BearerLogin token) w.WriteString("authentication"u8, token.TokenName);
                else if (ConsoleAuth.UserOf(context) is { } user) w.WriteString("authentication"u8, user);
                else w.WriteNull("authentication"u8);
                w.WriteString("remote-ip"u8, context.RemoteEndPoint?.Address.ToString() ?? "");
                w.WriteNumber("remote-port"u8, context.RemoteEndPoint?.Port ?? 0);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            string id;
            try
            {
                id = await injector.InjectAsync(message.WrittenMemory, CancellationToken.None).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                // What the delivery engine could not use (e.g. the "responsive" mime object form).
                ApiIo.Error(context.Response, 400, e.Message);
                return;
            }
            catch (Exception e) when (e is IOException or QueueUnavailableException or InvalidOperationException)
            {
                Log.Warning("settings", "inject failed", $"error={Log.Quote(e.Message)}");
                ApiIo.Error(context.Response, 503, "the outbox is unavailable");
                return;
            }
            Log.Info("settings", "message injected", $"user={Log.Quote(ApiIo.UserOf(context))} id={Log.Quote(id)}");
            using var json = ApiIo.Json(context.Response);
            json.WriteStartObject();
            json.WriteString("message-id"u8, id);
            json.WriteEndObject();
        }
    }

    private static bool HasMime(JsonElement root) =>
        (root.TryGetProperty("mime"u8, out var mime) && mime.ValueKind is JsonValueKind.String or JsonValueKind.Object)
        || (root.TryGetProperty("key"u8, out var key) && key.ValueKind == JsonValueKind.String && key.GetString()!.Length > 0);

    // ---- shared ------------------------------------------------------------------------------------

    /// <summary>The body's fields; null when the answer (400, 413) is already set.</summary>
    private static async ValueTask<RequestFields?> ReadFieldsAsync(HttpContext context)
    {
        using var body = await ApiIo.ReadBodyAsync(context).ConfigureAwait(false);
        if (body is null) return null;
        if (RequestFields.TryParseBody(context.Request.ContentType, body.WrittenSpan, out var fields, out var error)) return fields;
        ApiIo.Error(context.Response, 400, error);
        return null;
    }

    private static string Describe(Selectors s) =>
        $"mta={s.Mta ?? "*"} pool={s.Pool ?? "*"} domain={s.Domain ?? "*"} ip={s.Ip ?? "*"} tag={Log.Quote(s.Tag ?? "*")}";
}
