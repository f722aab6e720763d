namespace MailerQ.Www.Core.Settings;

/// <summary>
/// Every limit for one (local IP, domain) pair after the cascade: the value (0 = unlimited) and the name of the
/// throttle that supplied it, null when it is the built-in default (<see cref="ThrottleDefaults"/>). The console
/// highlights the limiting value by its source.
/// </summary>
internal sealed class EffectiveThrottle
{
    private readonly int[] _values;
    private readonly string?[] _sources;

    internal EffectiveThrottle(int[] values, string?[] sources)
    {
        _values = values;
        _sources = sources;
    }

    public int DomainMessagesPerMinute => _values[(int)ThrottleLimit.DomainMessagesPerMinute];
    public int DomainConnectsPerMinute => _values[(int)ThrottleLimit.DomainConnectsPerMinute];
    public int DomainMaxActive => _values[(int)ThrottleLimit.DomainMaxActive];
    public int DomainMaxIdle => _values[(int)ThrottleLimit.DomainMaxIdle];
    public int IpMessagesPerMinute => _values[(int)ThrottleLimit.IpMessagesPerMinute];
    public int IpConnectsPerMinute => _values[(int)ThrottleLimit.IpConnectsPerMinute];
    public int IpMaxActive => _values[(int)ThrottleLimit.IpMaxActive];
    public int IpMaxIdle => _values[(int)ThrottleLimit.IpMaxIdle];
    public int ConnectionMaxMessages => _values[(int)ThrottleLimit.ConnectionMaxMessages];
    public int ConnectionIdleSeconds => _values[(int)ThrottleLimit.ConnectionIdleSeconds];

    /// <summary>The resolved value; 0 = unlimited.</summary>
    public int Get(ThrottleLimit limit) => _values[(int)limit];

    /// <summary>Name of the throttle that supplied the value, or null for the built-in default.</summary>
    public string? SourceOf(ThrottleLimit limit) => _sources[(int)limit];
}
