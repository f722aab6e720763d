using System.Text.Json;

namespace MailerQ.Www.Core.Metrics;

/// <summary>One named value of the registry, with its JSON name encoded once.</summary>
internal sealed class MetricEntry(string name, object source)
{
    public string Name { get; } = name;

    public JsonEncodedText JsonName { get; } = JsonEncodedText.Encode(name);

    /// <summary>A <see cref="MetricCounter"/>, a <see cref="MetricGauge"/> or a <see cref="Func{TResult}"/> of long.</summary>
    public object Source { get; } = source;

    public long Read() => Source switch
    {
        MetricCounter counter => counter.Value,
        MetricGauge gauge => gauge.Value,
        Func<long> observe => observe(),
        _ => 0,
    };
}
