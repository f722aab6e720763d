using System.Text.Json;
using MailerQ.Www.Core.Settings;

namespace MailerQ.Www.Console.Settings;

/// <summary>
/// The console's throttle object (docs/settings.md), in the sections of MailerQ's throttle editor:
/// <c>{"id","name","priority","patterns":[{"mta","domain"}],"domain":{"messagesPerMinute","connectsPerMinute","maxActive","maxIdle"},
/// "ip":{…same…},"connection":{"maxMessages","idleSeconds"}}</c>. A limit is null (not set: cascade), 0 (unlimited) or a
/// positive whole number; <c>"unlimited"</c> is accepted for 0.
/// </summary>
internal static class ThrottleJson
{
    private const int MaxPatterns = 100;

    private static readonly (string Section, string Field, ThrottleLimit Limit)[] Fields =
    [
        ("domain", "messagesPerMinute", ThrottleLimit.DomainMessagesPerMinute),
        ("domain", "connectsPerMinute", ThrottleLimit.DomainConnectsPerMinute),
        ("domain", "maxActive", ThrottleLimit.DomainMaxActive),
        ("domain", "maxIdle", ThrottleLimit.DomainMaxIdle),
        ("ip", "messagesPerMinute", ThrottleLimit.IpMessagesPerMinute),
        ("ip", "connectsPerMinute", ThrottleLimit.IpConnectsPerMinute),
        ("ip", "maxActive", ThrottleLimit.IpMaxActive),
        ("ip", "maxIdle", ThrottleLimit.IpMaxIdle),
        ("connection", "maxMessages", ThrottleLimit.ConnectionMaxMessages),
        ("connection", "idleSeconds", ThrottleLimit.ConnectionIdleSeconds),
    ];

    /// <summary>camelCase name of a limit, as <c>/api/throttles/effective</c> reports it.</summary>
    public static string NameOf(ThrottleLimit limit)
    {
        var name = limit.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    public static void Write(Utf8JsonWriter w, Throttle t)
    {
        w.WriteStartObject();
        w.WriteNumber("id"u8, t.Id);
        w.WriteString("name"u8, t.Name);
        w.WriteNumber("priority"u8, t.Priority);
        w.WriteStartArray("patterns"u8);
        foreach (var p in t.Patterns)
        {
            w.WriteStartObject();
            w.WriteString("mta"u8, string.IsNullOrEmpty(p.Mta) ? "*" : p.Mta);
            w.WriteString("domain"u8, string.IsNullOrEmpty(p.Domain) ? "*" : p.Domain);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        string? section = null;
        foreach (var (s, field, limit) in Fields)
        {
            if (s != section)
            {
                if (section is not null) w.WriteEndObject();
                w.WriteStartObject(s);
                section = s;
            }
            if (t.Limits.Get(limit) is int v) w.WriteNumber(field, v);
            else w.WriteNull(field);
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static bool TryRead(ReadOnlySpan<byte> json, out Throttle throttle, out string error)
    {
        throttle = null!;
        error = "";
        if (!ApiIo.TryParseObject(json, maxDepth: 8, out var doc, out error))
            return false;
        using (doc)
        {
            var root = doc.RootElement;
            if (!root.TryGetProperty("name"u8, out var nameEl) || nameEl.ValueKind != JsonValueKind.String || nameEl.GetString()!.Trim() is not { Length: > 0 and <= 255 } name)
            {
                error = "name is required (1 to 255 characters)";
                return false;
            }
            int priority = 0;
            if (root.TryGetProperty("priority"u8, out var pr) && pr.ValueKind != JsonValueKind.Null
                && (pr.ValueKind != JsonValueKind.Number || !pr.TryGetInt32(out priority) || priority is < -1_000_000 or > 1_000_000))
            {
                error = "priority must be a whole number from -1000000 to 1000000";
                return false;
            }
            var patterns = new List<ThrottlePattern>();
            if (root.TryGetProperty("patterns"u8, out var ps) && ps.ValueKind != JsonValueKind.Null)
            {
                if (ps.ValueKind != JsonValueKind.Array || ps.GetArrayLength() > MaxPatterns)
                {
                    error = $"patterns must be an array of at most {MaxPatterns} {{\"mta\",\"domain\"}} objects";
                    return false;
                }
                foreach (var p in ps.EnumerateArray())
                {
                    if (p.ValueKind != JsonValueKind.Object || !TryText(p, "mta"u8, out var mta) || !TryText(p, "domain"u8, out var domain))
                    {
                        error = "each pattern must be {\"mta\": IP, pool or \"*\", \"domain\": domain or \"*\"}";
                        return false;
                    }
                    mta = mta?.Trim() is { Length: > 0 } m ? m : "*";
                    domain = domain?.Trim().TrimEnd('.').ToLowerInvariant() is { Length: > 0 } d ? d : "*";
                    if (mta != "*" && !Selectors.IsIp(mta) && !Selectors.IsPoolName(mta))
                    {
                        error = $"pattern mta {mta} is neither an IP address nor a pool name";
                        return false;
                    }
                    if (domain.Length > 255 || domain.AsSpan().ContainsAny(" \t@/"))
                    {
                        error = $"pattern domain {domain} is not a domain";
                        return false;
                    }
                    patterns.Add(new ThrottlePattern(mta, domain));
                }
            }
            var values = new int?[ThrottleLimits.Count];
            foreach (var (s, field, limit) in Fields)
            {
                if (!root.TryGetProperty(s, out var section) || section.ValueKind == JsonValueKind.Null) continue;
                if (section.ValueKind != JsonValueKind.Object)
                {
                    error = $"{s} must be an object";
                    return false;
                }
                if (!section.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null) continue;
                if (v.ValueKind == JsonValueKind.String && v.ValueEquals("unlimited"u8)) values[(int)limit] = 0;
                else if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int n) && n >= 0) values[(int)limit] = n;
                else
                {
                    error = $"{s}.{field} must be null (not set), 0 (unlimited) or a positive whole number";
                    return false;
                }
            }
            throttle = new Throttle
            {
                Name = name,
                Priority = priority,
                Patterns = patterns,
                Limits = new ThrottleLimits
                {
                    DomainMessagesPerMinute = values[0],
                    DomainConnectsPerMinute = values[1],
                    DomainMaxActive = values[2],
                    DomainMaxIdle = values[3],
                    IpMessagesPerMinute = values[4],
                    IpConnectsPerMinute = values[5],
                    IpMaxActive = values[6],
                    IpMaxIdle = values[7],
                    ConnectionMaxMessages = values[8],
                    ConnectionIdleSeconds = values[9],
                },
            };
            return true;
        }
    }

    private static bool TryText(JsonElement obj, ReadOnlySpan<byte> name, out string? value)
    {
        value = null;
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return true;
        if (v.ValueKind != JsonValueKind.String) return false;
        value = v.GetString();
        return true;
    }
}
