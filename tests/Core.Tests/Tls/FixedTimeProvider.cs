namespace MailerQ.Www.Core.Tests.Tls;

/// <summary>A clock stuck at one instant (the test project has no FakeTimeProvider reference).</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
