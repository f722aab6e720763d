namespace MailerQ.Www.Auth.Tests.Support;

/// <summary>Tests that swap the process-wide log writer run with nothing else in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LogCollection
{
    public const string Name = "process log";
}
