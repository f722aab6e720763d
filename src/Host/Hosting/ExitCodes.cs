namespace MailerQ.Www.Host.Hosting;

/// <summary>Process exit codes (contract: 0 ok, 2 for a configuration the process refuses).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int BadConfig = 2;
}
