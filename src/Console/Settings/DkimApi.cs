using System.Text.Json;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Http;
using MailerQ.Www.Http.Parsing;
using MailerQ.Www.Http.Routing;
using MailerQ.Www.Core.Dkim;

namespace MailerQ.Www.Console.Settings;

/// <summary>
/// "DKIM keys" (CONTRACT.md "Console API"): <c>GET /api/dkim</c> lists keys with their public half and the DNS TXT
/// record to publish, never the private key; <c>POST /api/dkim</c> uploads a PEM or generates RSA-2048 / Ed25519;
/// <c>DELETE /api/dkim/{domain}/{selector}</c>; <c>POST /api/dkim/{domain}/{selector}/patterns</c> and
/// <c>DELETE /api/dkim/{domain}/{selector}/patterns/{id}</c> manage sign patterns.
/// </summary>
/// <remarks>
/// Private keys cross the network in these requests, so on a plain-HTTP connection every DKIM route (any method,
/// known or not) answers 403 before reading the body, and closes the connection when one was sent, so not a byte of
/// it is processed. That is only reachable with HTTPS off: with both ports on, the plain port redirects first.
/// </remarks>
internal sealed class DkimApi
{
    private readonly SettingsCache _settings;

    public DkimApi(SettingsCache settings) => _settings = settings;

    /// <summary>Where this console is reachable over HTTPS, for the refusal on plain HTTP; null (or returning null) = HTTPS is off.</summary>
    public Func<string?>? HttpsUrl { get; set; }

    public void Map(Router router)
    {
        var handler = ApiIo.Guard(HandleAsync);
        foreach (var method in (ReadOnlySpan<HttpMethod>)[HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch])
        {
            router.Map(method, "/api/dkim", handler);
            router.MapPrefix(method, "/api/dkim/", handler);
        }
    }

    private ValueTask HandleAsync(HttpContext context)
    {
        if (!context.IsTls)
        {
            RefusePlainHttp(context);
            return ValueTask.CompletedTask;
        }
        var method = context.Request.Method;
        var rest = context.RouteRemainder;
        bool root = context.Request.Path.Length == "/api/dkim".Length;
        if (root)
        {
            if (method is HttpMethod.Get or HttpMethod.Head) return List(context);
            if (method == HttpMethod.Post) return CreateAsync(context);
            context.Response.SetError(405);
            return ValueTask.CompletedTask;
        }
        if (!TrySplit(rest, out var domain, out var selector, out var tail))
        {
            ApiIo.Error(context.Response, 404, "not found");
            return ValueTask.CompletedTask;
        }
        switch (tail)
        {
            case "":
                if (method is HttpMethod.Get or HttpMethod.Head) return GetOne(context, domain, selector);
                if (method == HttpMethod.Delete) return DeleteAsync(context, domain, selector);
                break;
            case "patterns":
                if (method == HttpMethod.Post) return AddPatternAsync(context, domain, selector);
                break;
            default:
                if (tail.StartsWith("patterns/", StringComparison.Ordinal) && long.TryParse(tail.AsSpan(9), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long id))
                {
                    if (method == HttpMethod.Delete) return DeletePatternAsync(context, domain, selector, id);
                    break;
                }
                ApiIo.Error(context.Response, 404, "not found");
                return ValueTask.CompletedTask;
        }
        context.Response.SetError(405);
        return ValueTask.CompletedTask;
    }

    /// <summary>403 with the reason and, when HTTPS is on, where to go instead; the body is never read.</summary>
    private void RefusePlainHttp(HttpContext context)
    {
        if (context.Request.HasBody) context.Response.CloseConnection = true;
        string? https = HttpsUrl?.Invoke();
        using var w = ApiIo.Json(context.Response, 403);
        w.WriteStartObject();
        w.WriteString("error"u8, "DKIM keys are only managed over HTTPS: private keys must not cross the network in clear text");
        w.WriteString("reason"u8, "https-required");
        if (https is null) w.WriteNull("https"u8);
        else w.WriteString("https"u8, https);
        w.WriteEndObject();
    }

    private ValueTask List(HttpContext context)
    {
        using var w = ApiIo.Json(context.Response);
        w.WriteStartArray();
        foreach (var key in _settings.Current.Data.DkimKeys) DkimKeyJson.Write(w, key);
        w.WriteEndArray();
        return ValueTask.CompletedTask;
    }

    private ValueTask GetOne(HttpContext context, string domain, string selector)
    {
        var key = Find(domain, selector);
        if (key is null)
        {
            ApiIo.Error(context.Response, 404, "not found");
            return ValueTask.CompletedTask;
        }
        using var w = ApiIo.Json(context.Response);
        DkimKeyJson.Write(w, key);
        return ValueTask.CompletedTask;
    }

    private async ValueTask CreateAsync(HttpContext context)
    {
        DkimRequest? request;
        string error;
        using (var body = await ApiIo.ReadBodyAsync(context).ConfigureAwait(false))
        {
            if (body is null) return;
            if (!DkimRequest.TryParse(body.WrittenSpan, out request, out error))
            {
                ApiIo.Error(context.Response, 400, error);
                return;
            }
        }

        DkimKeyMaterial material;
        if (request.Generate is { } kind)
        {
            material = kind == "ed25519" ? DkimKeyMaterial.GenerateEd25519() : DkimKeyMaterial.GenerateRsa(DkimKeyMaterial.DefaultRsaBits);
        }
        else if (!DkimKeyMaterial.TryParse(request.PrivateKeyPem, out material!, out string? why))
        {
            ApiIo.Error(context.Response, 400, why);
            return;
        }

        // Stored as PKCS#8 whatever was uploaded (PKCS#1 included): one form for the signer and for other instances.
        var key = new DkimKey
        {
            Domain = request.Domain,
            Selector = request.Selector,
            Algorithm = material.Algorithm,
            PrivateKeyPem = material.PrivateKeyPem,
            Headers = request.Headers,
            Expire = request.Expire,
            Priority = request.Priority,
        };
        var user = ApiIo.UserOf(context);
        DkimKey stored;
        try
        {
            stored = await _settings.WriteAsync(async (s, ct) =>
            {
                var added = await s.AddDkimKeyAsync(key, user, ct).ConfigureAwait(false);
                var patterns = new List<DkimPattern>(request.Patterns.Count);
                foreach (var (pattern, type) in request.Patterns)
                    patterns.Add(await s.AddDkimPatternAsync(added.Id, pattern, type, user, ct).ConfigureAwait(false));
                return added with { Patterns = patterns };
            }).ConfigureAwait(false);
        }
        catch (SettingsConflictException ex)
        {
            ApiIo.Conflict(context.Response, ex);
            return;
        }
        Log.Info("settings", "dkim key stored", $"user={Log.Quote(user)} domain={stored.Domain} selector={stored.Selector} algorithm={stored.Algorithm} source={(request.Generate is null ? "upload" : "generated")}");
        using var w = ApiIo.Json(context.Response);
        DkimKeyJson.Write(w, stored);
    }

    private async ValueTask DeleteAsync(HttpContext context, string domain, string selector)
    {
        var user = ApiIo.UserOf(context);
        bool found = await _settings.WriteAsync((s, ct) => s.DeleteDkimKeyAsync(domain, selector, user, ct)).ConfigureAwait(false);
        Log.Info("settings", "dkim key deleted", $"user={Log.Quote(user)} domain={Log.Quote(domain)} selector={Log.Quote(selector)} found={found}");
        ApiIo.Deleted(context.Response, found ? 1 : 0);
    }

    private async ValueTask AddPatternAsync(HttpContext context, string domain, string selector)
    {
        (string Pattern, PatternType Type) pattern;
        using (var body = await ApiIo.ReadBodyAsync(context).ConfigureAwait(false))
        {
            if (body is null) return;
            if (!TryReadPattern(body.WrittenSpan, out pattern, out var error))
            {
                ApiIo.Error(context.Response, 400, error);
                return;
            }
        }
        var key = Find(domain, selector);
        if (key is null)
        {
            ApiIo.Error(context.Response, 404, "not found");
            return;
        }
        var user = ApiIo.UserOf(context);
        DkimPattern stored;
        try
        {
            stored = await _settings.WriteAsync((s, ct) => s.AddDkimPatternAsync(key.Id, pattern.Pattern, pattern.Type, user, ct)).ConfigureAwait(false);
        }
        catch (SettingsConflictException ex)
        {
            ApiIo.Conflict(context.Response, ex);
            return;
        }
        Log.Info("settings", "dkim sign pattern added", $"user={Log.Quote(user)} domain={key.Domain} selector={key.Selector} type={PatternTypes.ToText(pattern.Type)} pattern={Log.Quote(pattern.Pattern)}");
        using var w = ApiIo.Json(context.Response);
        DkimKeyJson.Write(w, stored);
    }

    private async ValueTask DeletePatternAsync(HttpContext context, string domain, string selector, long id)
    {
        // The pattern must belong to the key the path names, so a stale page cannot remove another key's pattern.
        var key = Find(domain, selector);
        bool owned = false;
        if (key is not null)
            foreach (var p in key.Patterns)
                owned |= p.Id == id;
        if (!owned)
        {
            ApiIo.Error(context.Response, 404, "not found");
            return;
        }
        var user = ApiIo.UserOf(context);
        bool found = await _settings.WriteAsync((s, ct) => s.DeleteDkimPatternAsync(id, user, ct)).ConfigureAwait(false);
        Log.Info("settings", "dkim sign pattern removed", $"user={Log.Quote(user)} domain={key!.Domain} selector={key.Selector} id={id} found={found}");
        ApiIo.Deleted(context.Response, found ? 1 : 0);
    }

    private static bool TryReadPattern(ReadOnlySpan<byte> json, out (string Pattern, PatternType Type) pattern, out string error)
    {
        pattern = default;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 2 });
            if (!JsonDocument.TryParseValue(ref reader, out var doc))
            {
                error = "malformed JSON";
                return false;
            }
            using (doc) return DkimRequest.TryPattern(doc.RootElement, out pattern, out error);
        }
        catch (JsonException)
        {
            error = "malformed JSON";
            return false;
        }
    }

    private DkimKey? Find(string domain, string selector)
    {
        foreach (var key in _settings.Current.Data.DkimKeys)
            if (string.Equals(key.Domain, domain, StringComparison.OrdinalIgnoreCase) && string.Equals(key.Selector, selector, StringComparison.OrdinalIgnoreCase))
                return key;
        return null;
    }

    /// <summary><c>{domain}/{selector}[/tail]</c>, percent-decoded, lower case.</summary>
    private static bool TrySplit(ReadOnlySpan<byte> rest, out string domain, out string selector, out string tail)
    {
        domain = selector = tail = "";
        int slash = rest.IndexOf((byte)'/');
        if (slash <= 0) return false;
        var afterDomain = rest[(slash + 1)..];
        int next = afterDomain.IndexOf((byte)'/');
        var selectorBytes = next < 0 ? afterDomain : afterDomain[..next];
        if (selectorBytes.IsEmpty) return false;
        if (!FormUrlEncoded.TryDecode(rest[..slash], out domain) || !FormUrlEncoded.TryDecode(selectorBytes, out selector)) return false;
        domain = domain.TrimEnd('.').ToLowerInvariant();
        selector = selector.ToLowerInvariant();
        if (next >= 0 && !FormUrlEncoded.TryDecode(afterDomain[(next + 1)..], out tail)) return false;
        return true;
    }
}
