namespace MailerQ.Www.Core.Tests.Tls;

/// <summary>What one run of the real <c>openssl</c> binary produced.</summary>
internal sealed record OpenSslRun(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StdOut}\nstderr:\n{StdErr}";
}
