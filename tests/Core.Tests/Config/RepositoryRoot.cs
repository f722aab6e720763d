namespace MailerQ.Www.Core.Tests.Config;

/// <summary>The repository checkout the tests run from, found by walking up to the solution file.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "MailerQ.Www.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No MailerQ.Www.sln above {AppContext.BaseDirectory}.");
    }
}
