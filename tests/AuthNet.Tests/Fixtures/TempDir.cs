namespace MailerQ.Www.AuthNet.Tests.Fixtures;

/// <summary>A temporary folder removed when the test ends.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir(string prefix) =>
        Path = Directory.CreateTempSubdirectory("mqtest-" + prefix + "-").FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string content)
    {
        string full = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllText(full, content);
        return full;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
