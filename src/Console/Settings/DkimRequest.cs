using System.Text.Json;
using MailerQ.Www.Core.Settings;

namespace MailerQ.Www.Console.Settings;

/// <summary>
/// The body of <c>POST /api/dkim</c>: <c>{"domain","selector","privateKey":"PEM"}</c> or
/// <c>{"domain","selector","generate":true,"algorithm":"rsa-2048"|"ed25519"}</c>, plus optional <c>headers</c>
/// (array of names, or one <c>:</c>-separated string), <c>expire</c>, <c>priority</c> and <c>patterns</c>
/// (<c>[{"pattern","type"}]</c>). Read with <see cref="JsonDocument"/> because of the arrays (RequestFields refuses them).
/// </summary>
internal sealed record DkimRequest
{
    /// <summary>Generous for a 4096-bit RSA PEM (≈ 3.3 KB) with a chain of comments; a bound on what we parse.</summary>
    public const int MaxPemLength = 16 * 1024;

    public const int MaxHeaders = 64;

    public const int MaxPatterns = 100;

    public required string Domain { get; init; }
    public required string Selector { get; init; }
    /// <summary>The uploaded PEM; null when <see cref="Generate"/> is set.</summary>
    public string? PrivateKeyPem { get; init; }
    /// <summary><c>rsa-2048</c> or <c>ed25519</c> when a key is to be generated.</summary>
    public string? Generate { get; init; }
    public IReadOnlyList<string> Headers { get; init; } = [];
    public DateTimeOffset? Expire { get; init; }
    public int Priority { get; init; }
    public IReadOnlyList<(string Pattern, PatternType Type)> Patterns { get; init; } = [];

    public static bool TryParse(ReadOnlySpan<byte> json, out DkimRequest request, out string error)
    {
        request = null!;
        error = "";
        if (!ApiIo.TryParseObject(json, maxDepth: 4, out var doc, out error))
            return false;
        using (doc)
        {
            var root = doc.RootElement;
            if (!TryString(root, "domain", out var domain, out error) || !TryString(root, "selector", out var selector, out error)) return false;
            domain = domain?.Trim().TrimEnd('.').ToLowerInvariant();
            selector = selector?.Trim().ToLowerInvariant();
            if (domain is null || !IsDomain(domain))
            {
                error = "domain is required: a domain name like example.com";
                return false;
            }
            if (selector is null || !IsSelector(selector))
            {
                error = "selector is required: letters, digits and '-', dot-separated labels of at most 63 (RFC 6376 section 3.1)";
                return false;
            }

            if (!TryString(root, "privateKey", out var pem, out error) || !TryString(root, "algorithm", out var algorithm, out error)) return false;
            bool generate = root.TryGetProperty("generate"u8, out var g) && g.ValueKind == JsonValueKind.True;
            if (root.TryGetProperty("generate"u8, out g) && g.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
            {
                error = "generate must be true or false";
                return false;
            }
            string? generated = null;
            if (generate)
            {
                if (pem is not null)
                {
                    error = "privateKey and generate exclude each other";
                    return false;
                }
                generated = (algorithm?.Trim().ToLowerInvariant()) switch
                {
                    null or "rsa" or "rsa-2048" or "rsa-sha256" => "rsa-2048",
                    "ed25519" or "ed25519-sha256" => "ed25519",
                    _ => null,
                };
                if (generated is null)
                {
                    error = "algorithm must be rsa-2048 or ed25519";
                    return false;
                }
            }
            else if (pem is null)
            {
                error = "privateKey (PEM) or \"generate\":true is required";
                return false;
            }
            else if (pem.Length > MaxPemLength)
            {
                error = $"privateKey is longer than {MaxPemLength} characters";
                return false;
            }

            if (!TryHeaders(root, out var headers, out error)) return false;
            if (!TryString(root, "expire", out var expireText, out error, allowNumber: true)
                || !RequestFields.TryParseTime(expireText, "expire", out var expire, out error)) return false;
            int priority = 0;
            if (root.TryGetProperty("priority"u8, out var pr) && pr.ValueKind != JsonValueKind.Null
                && (pr.ValueKind != JsonValueKind.Number || !pr.TryGetInt32(out priority) || priority is < -1_000_000 or > 1_000_000))
            {
                error = "priority must be a whole number from -1000000 to 1000000";
                return false;
            }
            if (!TryPatterns(root, out var patterns, out error)) return false;

            request = new DkimRequest
            {
                Domain = domain,
                Selector = selector,
                PrivateKeyPem = pem,
                Generate = generated,
                Headers = headers,
                Expire = expire,
                Priority = priority,
                Patterns = patterns,
            };
            return true;
        }
    }

    /// <summary>
    /// One sign pattern: <c>{"pattern","type"}</c> with type exact, regex, fnmatch (wildcard), substr (substring) or
    /// global (every From domain; the pattern may then be empty). Used by the create body and the pattern route.
    /// </summary>
    public static bool TryPattern(JsonElement p, out (string Pattern, PatternType Type) pattern, out string error)
    {
        pattern = default;
        error = "each pattern must be {\"pattern\": text, \"type\": exact, regex, fnmatch, substr or global}";
        if (p.ValueKind != JsonValueKind.Object) return false;
        if (!TryString(p, "pattern", out var text, out _) || !TryString(p, "type", out var typeText, out _)) return false;
        if (!PatternTypes.TryParse(typeText ?? "exact", out var type)) return false;
        text ??= "";
        if (CompiledPattern.Validate(text, type) is { } why)
        {
            error = why;
            return false;
        }
        pattern = (text, type);
        error = "";
        return true;
    }

    public static bool TryPatterns(JsonElement root, out IReadOnlyList<(string, PatternType)> patterns, out string error)
    {
        patterns = [];
        error = "";
        if (!root.TryGetProperty("patterns"u8, out var ps) || ps.ValueKind == JsonValueKind.Null) return true;
        if (ps.ValueKind != JsonValueKind.Array || ps.GetArrayLength() > MaxPatterns)
        {
            error = $"patterns must be an array of at most {MaxPatterns} {{\"pattern\",\"type\"}} objects";
            return false;
        }
        var list = new List<(string, PatternType)>();
        foreach (var p in ps.EnumerateArray())
        {
            if (!TryPattern(p, out var one, out error)) return false;
            list.Add(one);
        }
        patterns = list;
        return true;
    }

    /// <summary>Header field names (RFC 5322 section 3.6.8: printable ASCII except ':'); the engine signs them besides its default set.</summary>
    public static bool TryHeaders(JsonElement root, out IReadOnlyList<string> headers, out string error)
    {
        headers = [];
        error = "";
        if (!root.TryGetProperty("headers"u8, out var hs) || hs.ValueKind == JsonValueKind.Null) return true;
        var names = new List<string>();
        if (hs.ValueKind == JsonValueKind.String)
        {
            foreach (var part in hs.GetString()!.Split([':', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) names.Add(part);
        }
        else if (hs.ValueKind == JsonValueKind.Array)
        {
            foreach (var h in hs.EnumerateArray())
            {
                if (h.ValueKind != JsonValueKind.String)
                {
                    error = "headers must be header names";
                    return false;
                }
                if (h.GetString()!.Trim() is { Length: > 0 } name) names.Add(name);
            }
        }
        else
        {
            error = "headers must be an array of header names or one ':'-separated string";
            return false;
        }
        if (names.Count > MaxHeaders)
        {
            error = $"at most {MaxHeaders} headers";
            return false;
        }
        foreach (var name in names)
        {
            if (name.Length > 100 || !IsFieldName(name))
            {
                error = $"{name} is not a header field name";
                return false;
            }
        }
        headers = names;
        return true;
    }

    private static bool IsFieldName(string name)
    {
        foreach (char c in name)
            if (c is < '!' or > '~' or ':') return false;
        return true;
    }

    private static bool TryString(JsonElement obj, string name, out string? value, out string error, bool allowNumber = false)
    {
        value = null;
        error = "";
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return true;
        if (v.ValueKind == JsonValueKind.String)
        {
            value = v.GetString() is { } s && s.Trim().Length > 0 ? s : null;
            return true;
        }
        if (allowNumber && v.ValueKind == JsonValueKind.Number)
        {
            value = v.GetRawText();
            return true;
        }
        error = $"{name} must be a string";
        return false;
    }

    /// <summary>Letters, digits, '-' and '_' in dot-separated labels of 1–63, at most 253 in all (RFC 1035 section 2.3.4).</summary>
    public static bool IsDomain(string domain)
    {
        if (domain.Length is 0 or > 253) return false;
        foreach (var label in domain.Split('.'))
            if (!IsLabel(label)) return false;
        return true;
    }

    /// <summary>RFC 6376 section 3.1: <c>selector = sub-domain *( "." sub-domain )</c>.</summary>
    public static bool IsSelector(string selector) => selector.Length <= 253 && IsDomain(selector);

    private static bool IsLabel(string label)
    {
        if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-') return false;
        foreach (char c in label)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return false;
        return true;
    }
}
