namespace MailerQ.Www.Auth.Tests.Support;

/// <summary>A fresh directory under the system temp path, deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = Directory.CreateTempSubdirectory("mailerq-auth-").FullName;
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="text"/> to a file here and returns its full path.</summary>
    public string Write(string name, string text)
    {
        string file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, text);
        return file;
    }

    /// <summary>Writes an executable script (mode 0755).</summary>
    public string Script(string name, string text)
    {
        string file = Write(name, text);
        File.SetUnixFileMode(file, (UnixFileMode)0b111_101_101);
        return file;
    }

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
