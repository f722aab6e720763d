namespace MailerQ.Www.Auth.Sessions;

/// <summary>Whether a login may be tried now; when not, how long until it may (the <c>Retry-After</c>).</summary>
internal readonly record struct ThrottleDecision(bool Allowed, TimeSpan RetryAfter)
{
    public static ThrottleDecision Allow { get; } = new(true, TimeSpan.Zero);

    /// <summary>Whole seconds for <c>Retry-After</c> (RFC 9110 section 10.2.3), rounded up, 1 to 60.</summary>
    public int RetryAfterSeconds => Allowed ? 0 : Math.Clamp((int)Math.Ceiling(RetryAfter.TotalSeconds), 1, (int)LoginThrottle.Window.TotalSeconds);
}
