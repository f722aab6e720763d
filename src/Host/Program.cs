namespace MailerQ.Www.Host;

internal static class Program
{
    private static Task<int> Main(string[] args) => Hosting.MailerQProgram.RunAsync(args);
}
