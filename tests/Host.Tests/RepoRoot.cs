namespace MailerQ.Www.Host.Tests;

/// <summary>Finds the repository root (the folder holding MailerQ.Www.sln) from the test binary.</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "MailerQ.Www.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("MailerQ.Www.sln not found above " + AppContext.BaseDirectory);
    }
}
