namespace MailerQ.Www.Auth.Sessions;

/// <summary>The times of the last <see cref="LoginThrottle.MaxFailures"/> failures for one user name or address (a ring).</summary>
internal sealed class FailureWindow
{
    private readonly DateTimeOffset[] _times = new DateTimeOffset[LoginThrottle.MaxFailures];
    private int _next;
    private int _count;

    public void Add(DateTimeOffset at)
    {
        _times[_next] = at;
        _next = (_next + 1) % _times.Length;
        if (_count < _times.Length) _count++;
    }

    /// <summary>The newest failure, or MinValue when none.</summary>
    public DateTimeOffset Newest => _count == 0 ? DateTimeOffset.MinValue : _times[(_next + _times.Length - 1) % _times.Length];

    /// <summary>
    /// When the window is full and its oldest failure lies within <paramref name="window"/> of
    /// <paramref name="now"/>, the time left until that oldest failure leaves the window; else zero.
    /// </summary>
    public TimeSpan LockedFor(DateTimeOffset now, TimeSpan window)
    {
        if (_count < _times.Length)
            return TimeSpan.Zero;
        var oldest = _times[_next];
        var left = oldest + window - now;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
