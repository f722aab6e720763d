namespace MailerQ.Www.Auth.Tests.Support;

/// <summary>An in-process backend with a fixed answer that counts its calls (chain and registry edge cases).</summary>
internal sealed class FakeBackend(string scheme, Func<string, string, AuthOutcome> answer) : IAuthBackend
{
    private int _calls;

    public string Scheme => scheme;

    public int Calls => Volatile.Read(ref _calls);

    public Func<CancellationToken, Task>? Delay { get; init; }

    public Exception? Throws { get; init; }

    public async ValueTask<AuthResult> AuthenticateAsync(string userName, string password, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (Delay is not null) await Delay(cancellationToken);
        if (Throws is not null) throw Throws;
        return new AuthResult(answer(userName, password), scheme);
    }

    public static FakeBackend Always(string scheme, AuthOutcome outcome) => new(scheme, (_, _) => outcome);
}
