using System.Collections;

namespace MailerQ.Www.Core.Config;

/// <summary>
/// Every warning and error found while loading and reading the configuration, in the order found.
/// Loading never stops at the first error, so an operator fixes a config in one round
/// (CONTRACT.md: a bad config exits 2 listing the problems).
/// </summary>
public sealed class ConfigDiagnostics : IReadOnlyList<ConfigDiagnostic>
{
    private readonly List<ConfigDiagnostic> _items = [];

    // Settings objects may read the same key more than once; one problem is reported once.
    private readonly HashSet<ConfigDiagnostic> _seen = [];

    /// <summary>Number of diagnostics with <see cref="ConfigSeverity.Error"/>.</summary>
    public int ErrorCount { get; private set; }

    /// <summary>True when the configuration must not be used.</summary>
    public bool HasErrors => ErrorCount > 0;

    /// <inheritdoc/>
    public int Count => _items.Count;

    /// <inheritdoc/>
    public ConfigDiagnostic this[int index] => _items[index];

    /// <summary>Records a diagnostic unless an identical one is already recorded.</summary>
    public void Add(ConfigDiagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        if (!_seen.Add(diagnostic))
            return;
        _items.Add(diagnostic);
        if (diagnostic.Severity == ConfigSeverity.Error)
            ErrorCount++;
    }

    /// <summary>Records an error.</summary>
    public void Error(ConfigOrigin origin, string? key, string message) =>
        Add(new ConfigDiagnostic(ConfigSeverity.Error, origin, key, message));

    /// <summary>Records a warning.</summary>
    public void Warning(ConfigOrigin origin, string? key, string message) =>
        Add(new ConfigDiagnostic(ConfigSeverity.Warning, origin, key, message));

    /// <inheritdoc/>
    public IEnumerator<ConfigDiagnostic> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
