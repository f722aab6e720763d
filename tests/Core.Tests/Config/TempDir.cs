namespace MailerQ.Www.Core.Tests.Config;

/// <summary>A fresh directory under the system temp path, deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = Directory.CreateTempSubdirectory("mailerq-config-").FullName;
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="text"/> to a file in this directory and returns its full path.</summary>
    public string Write(string name, string text)
    {
        string file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, text);
        return file;
    }

    /// <summary>Creates a sub-directory and returns its full path.</summary>
    public string CreateDirectory(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Path, name)).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory must not fail the test that used it.
        }
    }
}
