using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MailerQ.Www.Core.Config;

/// <summary>
/// The effective configuration after layering (see <see cref="ConfigLoader"/>). For each key it holds the
/// entries of the highest layer that set it, in the order written. Typed readers never throw on bad values:
/// they record <c>ORIGIN: key: reason</c> in <see cref="Diagnostics"/> and return the fallback, so one run
/// reports every problem.
/// </summary>
/// <remarks>Keys passed to the readers must be in <see cref="KnownKeys"/>; a misspelt key throws, since it is a bug.</remarks>
public sealed class ConfigSet
{
    private static readonly IReadOnlyList<ConfigEntry> None = [];
    private static readonly IReadOnlyList<string> NoItems = [];

    private readonly Dictionary<string, IReadOnlyList<ConfigEntry>> _values;

    internal ConfigSet(Dictionary<string, IReadOnlyList<ConfigEntry>> values, ConfigDiagnostics diagnostics)
    {
        _values = values;
        Diagnostics = diagnostics;
    }

    /// <summary>Load diagnostics plus everything the typed readers found since.</summary>
    public ConfigDiagnostics Diagnostics { get; }

    /// <summary>Every effective entry, ordered by key, for <c>--check-config</c> style dumps.</summary>
    public IReadOnlyList<ConfigEntry> Entries
    {
        get
        {
            var keys = new List<string>(_values.Keys);
            keys.Sort(StringComparer.Ordinal);
            var all = new List<ConfigEntry>();
            foreach (var key in keys)
                all.AddRange(_values[key]);
            return all;
        }
    }

    /// <summary>True when any layer, the built-in defaults included, gives the key a value.</summary>
    public bool Contains(string key) => _values.ContainsKey(Canonical(key));

    /// <summary>The effective value (the last entry of the winning layer), or null when unset.</summary>
    public string? Get(string key) => Last(key)?.Value;

    /// <summary>Every entry of the winning layer, in order; empty when unset.</summary>
    public IReadOnlyList<ConfigEntry> GetAll(string key) =>
        _values.TryGetValue(Canonical(key), out var entries) ? entries : None;

    /// <summary>Where the effective value came from, or null when unset.</summary>
    public ConfigOrigin? OriginOf(string key) => Last(key)?.Origin;

    /// <summary>The effective value, or <paramref name="defaultValue"/> when unset.</summary>
    public string GetString(string key, string defaultValue) => Get(key) ?? defaultValue;

    /// <summary>The effective value, or null when unset.</summary>
    public string? GetString(string key) => Get(key);

    /// <summary>An integer in <paramref name="min"/>..<paramref name="max"/>.</summary>
    public int GetInt(string key, int defaultValue, int min, int max)
    {
        var entry = Last(key);
        if (entry is null)
            return defaultValue;
        if (int.TryParse(entry.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            && value >= min && value <= max)
        {
            return value;
        }
        Report(entry, string.Create(CultureInfo.InvariantCulture, $"{ConfigText.Quote(entry.Value)} is not a whole number from {min} to {max}"));
        return defaultValue;
    }

    /// <summary>
    /// A TCP port 0..65535. With <paramref name="allowEmpty"/> an empty value returns null ("disabled",
    /// as MailerQ's <c>www-secure-port</c> "empty by default"); otherwise empty is an error.
    /// </summary>
    public int? GetPort(string key, int? defaultValue, bool allowEmpty)
    {
        var entry = Last(key);
        if (entry is null)
            return defaultValue;
        if (entry.Value.Length == 0 && allowEmpty)
            return null;
        if (int.TryParse(entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port <= IPEndPoint.MaxPort)
            return port;
        Report(entry, $"{ConfigText.Quote(entry.Value)} is not a port number (0-65535)");
        return defaultValue;
    }

    /// <summary>A boolean: <c>true/false</c>, <c>yes/no</c>, <c>on/off</c>, <c>1/0</c>, any case.</summary>
    public bool GetBool(string key, bool defaultValue)
    {
        var entry = Last(key);
        if (entry is null)
            return defaultValue;
        switch (entry.Value.ToLowerInvariant())
        {
            case "true" or "yes" or "on" or "1":
                return true;
            case "false" or "no" or "off" or "0":
                return false;
            default:
                Report(entry, $"{ConfigText.Quote(entry.Value)} is not a boolean (true/false, yes/no, on/off, 1/0)");
                return defaultValue;
        }
    }

    /// <summary>
    /// A byte count. <c>K</c>/<c>KB</c>/<c>M</c>/<c>MB</c>/<c>G</c>/<c>GB</c> (any case) are powers of 1024,
    /// as MailerQ's <c>smtp-maxsize: 100MB</c> (CONTRACT.md); a bare number is bytes.
    /// </summary>
    public long GetSize(string key, long defaultValue)
    {
        var entry = Last(key);
        if (entry is null)
            return defaultValue;
        switch (TryScale(entry.Value, SizeUnit, out long bytes))
        {
            case ScaleResult.Ok:
                return bytes;
            case ScaleResult.Overflow:
                Report(entry, string.Create(CultureInfo.InvariantCulture, $"{ConfigText.Quote(entry.Value)} is too large (at most {long.MaxValue} bytes)"));
                return defaultValue;
            default:
                Report(entry, $"{ConfigText.Quote(entry.Value)} is not a size (a whole number of bytes, or with K, KB, M, MB, G or GB)");
                return defaultValue;
        }
    }

    /// <summary>A duration: seconds, unless suffixed <c>ms</c>, <c>s</c>, <c>m</c> or <c>h</c> (any case).</summary>
    public TimeSpan GetDuration(string key, TimeSpan defaultValue)
    {
        var entry = Last(key);
        if (entry is null)
            return defaultValue;
        switch (TryScale(entry.Value, DurationUnit, out long ticks))
        {
            case ScaleResult.Ok:
                return TimeSpan.FromTicks(ticks);
            case ScaleResult.Overflow:
                Report(entry, $"{ConfigText.Quote(entry.Value)} is too large");
                return defaultValue;
            default:
                Report(entry, $"{ConfigText.Quote(entry.Value)} is not a duration (a whole number of seconds, or with ms, s, m or h)");
                return defaultValue;
        }
    }

    /// <summary>
    /// An IPv4 or IPv6 literal; unset or empty returns null, meaning "any address".
    /// Shorthand IPv4 forms that <see cref="IPAddress.TryParse(string, out IPAddress)"/> would take
    /// (<c>10.1</c>, <c>127.1</c>, a bare integer) are rejected: they are almost always typos.
    /// </summary>
    public IPAddress? GetIpAddress(string key)
    {
        var entry = Last(key);
        if (entry is null || entry.Value.Length == 0)
            return null;
        if (TryParseIp(entry.Value, out var address))
            return address;
        Report(entry, $"{ConfigText.Quote(entry.Value)} is not an IP address");
        return null;
    }

    /// <summary>
    /// The items of a key MailerQ documents as a list (<c>smtp-port: 25,2525</c>,
    /// <c>smtp-range: 10.0.0.0/8;192.168.0.0/16</c>): split at commas and semicolons, trimmed, empty items dropped.
    /// Other keys are single strings even when they contain commas (<c>www-cache-control: public, max-age=60</c>),
    /// so asking for them here is a bug and throws.
    /// </summary>
    public IReadOnlyList<string> GetList(string key)
    {
        if (!KnownKeys.Get(key).IsList)
            ConfigThrowHelper.ThrowNotAList(key);
        var value = Get(key);
        if (string.IsNullOrEmpty(value))
            return NoItems;
        return value.Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Records an error against the entry that produced a bad value.</summary>
    internal void Report(ConfigEntry entry, string message) => Diagnostics.Error(entry.Origin, entry.Key, message);

    internal ConfigEntry? Last(string key)
    {
        var entries = GetAll(key);
        return entries.Count == 0 ? null : entries[^1];
    }

    internal static bool TryParseIp(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (!text.Contains(':', StringComparison.Ordinal) && !IsDottedQuad(text))
            return false;
        if (!IPAddress.TryParse(text, out var parsed))
            return false;
        address = parsed;
        return address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6;
    }

    private static bool IsDottedQuad(string text)
    {
        int dots = 0;
        foreach (char c in text)
        {
            if (c == '.')
                dots++;
            else if (!char.IsAsciiDigit(c))
                return false;
        }
        return dots == 3;
    }

    private static string Canonical(string key) => KnownKeys.Get(key).Name;

    private enum ScaleResult
    {
        Ok,
        Invalid,
        Overflow,
    }

    private static long SizeUnit(ReadOnlySpan<char> suffix) => suffix.ToString().ToUpperInvariant() switch
    {
        "" => 1,
        "K" or "KB" => 1024L,
        "M" or "MB" => 1024L * 1024,
        "G" or "GB" => 1024L * 1024 * 1024,
        _ => 0,
    };

    private static long DurationUnit(ReadOnlySpan<char> suffix) => suffix.ToString().ToLowerInvariant() switch
    {
        "" or "s" => TimeSpan.TicksPerSecond,
        "ms" => TimeSpan.TicksPerMillisecond,
        "m" => TimeSpan.TicksPerMinute,
        "h" => TimeSpan.TicksPerHour,
        _ => 0,
    };

    /// <summary>Digits, optional blanks, then a suffix that <paramref name="unit"/> maps to a multiplier (0 = unknown).</summary>
    private static ScaleResult TryScale(string text, Func<ReadOnlySpan<char>, long> unit, out long result)
    {
        result = 0;
        var span = text.AsSpan();
        int digits = 0;
        while (digits < span.Length && char.IsAsciiDigit(span[digits]))
            digits++;
        if (digits == 0)
            return ScaleResult.Invalid;

        long multiplier = unit(span[digits..].TrimStart());
        if (multiplier == 0)
            return ScaleResult.Invalid;
        if (!long.TryParse(span[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out long number))
            return ScaleResult.Overflow;
        if (number > long.MaxValue / multiplier)
            return ScaleResult.Overflow;
        result = number * multiplier;
        return ScaleResult.Ok;
    }
}
