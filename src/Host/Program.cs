namespace MailerQ.Www.Host;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Out.WriteLine(MailerQ.Www.Core.Diagnostics.ProductInfo.Version);
        return 0;
    }
}
