using System.Text.Json;

namespace MailerQ.Www.Core.Metrics;

/// <summary>
/// Named counters and gauges that the console reports (the WebSocket stats channel, later /api/stats and
/// /metrics). Names are lower-case dotted words (<c>http.websockets</c>). Registration is rare and takes a
/// lock; reading a snapshot takes none (copy-on-write array, sorted by name so output is stable).
/// </summary>
public sealed class MetricsRegistry
{
    private readonly Lock _gate = new();
    private MetricEntry[] _entries = [];

    /// <summary>How many metrics are registered.</summary>
    public int Count => Volatile.Read(ref _entries).Length;

    /// <summary>The counter named <paramref name="name"/>, created on first use.</summary>
    public MetricCounter Counter(string name) => GetOrAdd(name, static () => new MetricCounter());

    /// <summary>The gauge named <paramref name="name"/>, created on first use.</summary>
    public MetricGauge Gauge(string name) => GetOrAdd(name, static () => new MetricGauge());

    /// <summary>A gauge whose value is read from <paramref name="read"/> at snapshot time (e.g. a limiter's live count).</summary>
    public void Observe(string name, Func<long> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        GetOrAdd(name, () => read);
    }

    /// <summary>The current value of <paramref name="name"/>, or null when unknown.</summary>
    public long? Read(string name)
    {
        foreach (var entry in Volatile.Read(ref _entries))
        {
            if (entry.Name == name) return entry.Read();
        }
        return null;
    }

    /// <summary>Writes every metric as a property of the JSON object the writer is in.</summary>
    public void WriteProperties(Utf8JsonWriter writer)
    {
        foreach (var entry in Volatile.Read(ref _entries))
            writer.WriteNumber(entry.JsonName, entry.Read());
    }

    /// <summary>Writes <c>{"name":value,…}</c>.</summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        WriteProperties(writer);
        writer.WriteEndObject();
    }

    private T GetOrAdd<T>(string name, Func<T> create) where T : class
    {
        ValidateName(name);
        lock (_gate)
        {
            var current = _entries;
            int index = 0;
            for (; index < current.Length; index++)
            {
                int order = string.CompareOrdinal(current[index].Name, name);
                if (order == 0)
                {
                    return current[index].Source as T
                        ?? throw new InvalidOperationException($"metric '{name}' is already registered as another kind");
                }
                if (order > 0) break;
            }
            var source = create();
            var next = new MetricEntry[current.Length + 1];
            Array.Copy(current, 0, next, 0, index);
            next[index] = new MetricEntry(name, source);
            Array.Copy(current, index, next, index + 1, current.Length - index);
            Volatile.Write(ref _entries, next);
            return source;
        }
    }

    private static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (char c in name)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_' or '-'))
                throw new ArgumentException($"metric name '{name}' must be lower-case letters, digits, '.', '_' or '-'", nameof(name));
        }
    }
}
