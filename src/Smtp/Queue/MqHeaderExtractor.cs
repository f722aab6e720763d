using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MailerQ.Www.Smtp.Queue;

/// <summary>
/// <c>smtp-extract</c>: MailerQ turns <c>x-mq-*</c> MIME headers of mail received over SMTP into JSON
/// properties (5.13/mime-headers.md). Reads only the header block (bounded by the caller's buffer).
/// </summary>
internal static class MqHeaderExtractor
{
    private static readonly char[] ListSeparators = [',', ';', ' ', '\t'];

    public static List<KeyValuePair<string, string>> Extract(ReadOnlySpan<byte> head)
    {
        var result = new List<KeyValuePair<string, string>>();
        var arrays = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var objects = new Dictionary<string, List<KeyValuePair<string, string>>>(StringComparer.Ordinal);

        foreach (var (name, value) in Headers(head))
        {
            if (!name.StartsWith("x-mq-", StringComparison.OrdinalIgnoreCase))
                continue;
            string key = name[5..].ToLowerInvariant();
            switch (key)
            {
                case "ip":
                    AddAll(arrays, "ips", value);
                    break;
                case "tag":
                    AddAll(arrays, "tags", value);
                    break;
                case "retries":
                    var retries = new List<string>();
                    foreach (var item in value.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds))
                            retries.Add(seconds.ToString(CultureInfo.InvariantCulture));
                    }
                    result.Add(new("retries", "[" + string.Join(',', retries) + "]"));
                    break;
                case "pool" or "envelope" or "custom-identifier":
                    result.Add(new(key, JsonSerializerless.Quote(value)));
                    break;
                case "maxattempts":
                    result.Add(new(key, int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n.ToString(CultureInfo.InvariantCulture) : JsonSerializerless.Quote(value)));
                    break;
                case "maxdelivertime":
                    result.Add(new(key, long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long t) ? t.ToString(CultureInfo.InvariantCulture) : JsonSerializerless.Quote(value)));
                    break;
                case "inlinecss" or "keepmime":
                    result.Add(new(key, value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1" ? "true" : "false"));
                    break;
                case "delayed":
                    result.Add(new("nextattempt", "{\"time\":" + JsonSerializerless.Quote(value) + "}"));
                    break;
                default:
                    if (key.StartsWith("dsn-", StringComparison.Ordinal))
                        AddMember(objects, "dsn", key[4..], value);
                    else if (key.StartsWith("smarthost-", StringComparison.Ordinal))
                        AddMember(objects, "smarthost", key[10..], value);
                    else if (key.EndsWith("-queue", StringComparison.Ordinal))
                        AddMember(objects, "queues", key[..^6], value);
                    break;
            }
        }
        foreach (var (key, items) in arrays)
        {
            var parts = new string[items.Count];
            for (int i = 0; i < parts.Length; i++) parts[i] = JsonSerializerless.Quote(items[i]);
            result.Add(new(key, "[" + string.Join(',', parts) + "]"));
        }
        foreach (var (key, members) in objects)
        {
            var parts = new string[members.Count];
            for (int i = 0; i < parts.Length; i++)
            {
                string v = key == "smarthost" && members[i].Key == "port" && int.TryParse(members[i].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int port)
                    ? port.ToString(CultureInfo.InvariantCulture)
                    : JsonSerializerless.Quote(members[i].Value);
                parts[i] = JsonSerializerless.Quote(members[i].Key) + ":" + v;
            }
            result.Add(new(key, "{" + string.Join(',', parts) + "}"));
        }
        return result;
    }

    private static void AddAll(Dictionary<string, List<string>> arrays, string key, string value)
    {
        if (!arrays.TryGetValue(key, out var list))
            arrays[key] = list = [];
        list.AddRange(value.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries));
    }

    private static void AddMember(Dictionary<string, List<KeyValuePair<string, string>>> objects, string key, string member, string value)
    {
        if (!objects.TryGetValue(key, out var list))
            objects[key] = list = [];
        list.Add(new(member, value));
    }

    /// <summary>Header fields up to the first empty line, unfolded (RFC 5322 section 2.2.3).</summary>
    internal static List<(string Name, string Value)> Headers(ReadOnlySpan<byte> head)
    {
        var fields = new List<(string, string)>();
        string? name = null;
        var value = new StringBuilder();
        while (!head.IsEmpty)
        {
            int lf = head.IndexOf((byte)'\n');
            if (lf < 0)
                break; // a header cut off by the scan limit is ignored
            var line = head[..lf];
            head = head[(lf + 1)..];
            if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];
            if (line.IsEmpty)
                break;
            if (line[0] is (byte)' ' or (byte)'\t')
            {
                if (name is not null) value.Append(Encoding.UTF8.GetString(line));
                continue;
            }
            if (name is not null) fields.Add((name, value.ToString().Trim()));
            int colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                name = null;
                continue;
            }
            name = Encoding.ASCII.GetString(line[..colon]).Trim();
            value.Clear().Append(Encoding.UTF8.GetString(line[(colon + 1)..]));
        }
        if (name is not null) fields.Add((name, value.ToString().Trim()));
        return fields;
    }
}
