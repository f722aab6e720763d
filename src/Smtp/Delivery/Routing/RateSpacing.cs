namespace MailerQ.Www.Smtp.Delivery.Routing;

/// <summary>
/// "N per minute" as even spacing (60 s / N between events) rather than a burst of N then a pause: the wire
/// rate matches the setting within the first seconds, and a changed limit applies to the very next event.
/// </summary>
internal sealed class RateSpacing
{
    private readonly Lock _gate = new();
    private DateTimeOffset _last = DateTimeOffset.MinValue;

    /// <summary>
    /// Takes a slot when one is free now (returns <see cref="TimeSpan.Zero"/>), else says how long until the next
    /// one. <paramref name="perMinute"/> ≤ 0 means unlimited.
    /// </summary>
    public TimeSpan TryTake(int perMinute, DateTimeOffset now)
    {
        if (perMinute <= 0)
            return TimeSpan.Zero;
        var interval = TimeSpan.FromTicks(TimeSpan.TicksPerMinute / perMinute);
        lock (_gate)
        {
            if (_last == DateTimeOffset.MinValue || now - _last >= interval)
            {
                // Idle time is not banked: after a quiet period the rate restarts, it does not burst.
                _last = now;
                return TimeSpan.Zero;
            }
            return _last + interval - now;
        }
    }
}
