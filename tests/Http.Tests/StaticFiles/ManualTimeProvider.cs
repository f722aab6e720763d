namespace MailerQ.Www.Http.Tests.StaticFiles;

/// <summary>A clock that moves only when told, so recheck intervals are tested without sleeping.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private long _elapsedTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _elapsedTicks);

    // Wall time follows the real clock (files get real mtimes), shifted by what the test advanced.
    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow.AddTicks(Interlocked.Read(ref _elapsedTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _elapsedTicks, by.Ticks);
}
