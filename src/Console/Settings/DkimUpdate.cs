using System.Text.Json;
using MailerQ.Www.Core.Logging;
using MailerQ.Www.Core.Settings;
using MailerQ.Www.Http;

namespace MailerQ.Www.Console.Settings;

/// <summary>
/// <c>PATCH /api/dkim/{domain}/{selector}</c> (docs/console-api.md "DKIM keys"): changes what may change about a
/// key — <c>headers</c>, <c>expire</c>, <c>priority</c>, <c>patterns</c> — and leaves the fields the body does not
/// name as they are; <c>null</c> clears (no extra headers, never expires, priority 0, no patterns). Domain, selector,
/// algorithm and private key are the key itself: changing them is a new key (POST), so the body may repeat them only
/// unchanged. Reached through <see cref="DkimApi"/>, so it is HTTPS-only, logged-in and CSRF-checked like the rest.
/// </summary>
internal static class DkimUpdate
{
    public static async ValueTask HandleAsync(HttpContext context, SettingsCache settings, DkimKey? key)
    {
        DkimKey changed;
        using (var body = await ApiIo.ReadBodyAsync(context).ConfigureAwait(false))
        {
            if (body is null) return;
            if (key is null)
            {
                ApiIo.Error(context.Response, 404, "not found");
                return;
            }
            if (!TryApply(body.WrittenSpan, key, out changed, out var error))
            {
                ApiIo.Error(context.Response, 400, error);
                return;
            }
        }
        var user = ApiIo.UserOf(context);
        DkimKey? stored;
        try
        {
            stored = await settings.WriteAsync((s, ct) => s.UpdateDkimKeyAsync(changed, user, ct)).ConfigureAwait(false);
        }
        catch (SettingsConflictException ex)
        {
            ApiIo.Conflict(context.Response, ex);
            return;
        }
        if (stored is null)
        {
            // Deleted between the lookup and the write (another console, another instance).
            ApiIo.Error(context.Response, 404, "not found");
            return;
        }
        Log.Info("settings", "dkim key updated",
            $"user={Log.Quote(user)} domain={stored.Domain} selector={stored.Selector} priority={stored.Priority} expire={Log.Quote(stored.Expire is { } e ? ApiIo.FormatTime(e) : "never")} headers={Log.Quote(string.Join(':', stored.Headers))} patterns={stored.Patterns.Count}");
        using var w = ApiIo.Json(context.Response);
        DkimKeyJson.Write(w, stored);
    }

    /// <summary><paramref name="key"/> with the fields the JSON object names replaced; the error names the field at fault.</summary>
    public static bool TryApply(ReadOnlySpan<byte> json, DkimKey key, out DkimKey changed, out string error)
    {
        changed = key;
        if (!ApiIo.TryParseObject(json, maxDepth: 4, out var doc, out error))
            return false;
        using (doc)
        {
            var root = doc.RootElement;
            if (!Unchanged(root, "domain", key.Domain, out error) || !Unchanged(root, "selector", key.Selector, out error)) return false;
            foreach (var fixedField in (ReadOnlySpan<string>)["privateKey", "generate", "algorithm"])
            {
                if (root.TryGetProperty(fixedField, out _))
                {
                    error = $"{fixedField} cannot change: a new key is a new selector (create it, publish its TXT record, then delete this one)";
                    return false;
                }
            }

            if (root.TryGetProperty("headers"u8, out _))
            {
                if (!DkimRequest.TryHeaders(root, out var headers, out error)) return false;
                changed = changed with { Headers = headers };
            }
            if (root.TryGetProperty("expire"u8, out var ex))
            {
                string? text = ex.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String => ex.GetString() is { } s && s.Trim().Length > 0 ? s : null,
                    JsonValueKind.Number => ex.GetRawText(),
                    _ => "?",
                };
                if (!RequestFields.TryParseTime(text, "expire", out var expire, out error)) return false;
                changed = changed with { Expire = expire };
            }
            if (root.TryGetProperty("priority"u8, out var pr))
            {
                int priority = 0;
                if (pr.ValueKind != JsonValueKind.Null
                    && (pr.ValueKind != JsonValueKind.Number || !pr.TryGetInt32(out priority) || priority is < -1_000_000 or > 1_000_000))
                {
                    error = "priority must be a whole number from -1000000 to 1000000";
                    return false;
                }
                changed = changed with { Priority = priority };
            }
            if (root.TryGetProperty("patterns"u8, out _))
            {
                if (!DkimRequest.TryPatterns(root, out var patterns, out error)) return false;
                var list = new List<DkimPattern>(patterns.Count);
                foreach (var (pattern, type) in patterns) list.Add(new DkimPattern(0, key.Id, pattern, type));
                changed = changed with { Patterns = list };
            }
            error = "";
            return true;
        }
    }

    /// <summary>Domain and selector name the key; a body may repeat them (a form sends every field) but not change them.</summary>
    private static bool Unchanged(JsonElement root, string name, string current, out string error)
    {
        error = "";
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return true;
        string? text = v.ValueKind == JsonValueKind.String ? v.GetString()?.Trim().TrimEnd('.') : null;
        if (text is not null && string.Equals(text, current, StringComparison.OrdinalIgnoreCase)) return true;
        error = $"{name} cannot change: it names the key (create a key for the new {name} instead)";
        return false;
    }
}
