using MailerQ.Www.Core.IO;

namespace MailerQ.Www.Core.Tests.IO;

public sealed class DurableFilesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mailerq-durable-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void WriteNew_creates_the_file_with_exactly_the_given_bytes()
    {
        string path = Path.Combine(_directory, "a.msg");
        var content = new byte[200_000];
        Random.Shared.NextBytes(content);

        DurableFiles.WriteNew(path, content);

        Assert.Equal(content, File.ReadAllBytes(path));
    }

    [Fact]
    public void WriteNew_refuses_a_path_that_exists_and_leaves_it_alone()
    {
        string path = Path.Combine(_directory, "a.msg");
        File.WriteAllText(path, "first");

        var error = Assert.ThrowsAny<IOException>(() => DurableFiles.WriteNew(path, "second"u8));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal("first", File.ReadAllText(path));
    }

    [Fact]
    public void WriteNew_names_the_path_when_its_directory_is_missing()
    {
        string path = Path.Combine(_directory, "missing", "a.msg");

        var error = Assert.ThrowsAny<IOException>(() => DurableFiles.WriteNew(path, "x"u8));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RenameNoReplace_moves_the_file()
    {
        string from = Path.Combine(_directory, "a.tmp"), to = Path.Combine(_directory, "a.msg");
        File.WriteAllText(from, "content");

        DurableFiles.RenameNoReplace(from, to);

        Assert.False(File.Exists(from));
        Assert.Equal("content", File.ReadAllText(to));
    }

    [Fact]
    public void RenameNoReplace_never_replaces_an_existing_target()
    {
        string from = Path.Combine(_directory, "a.tmp"), to = Path.Combine(_directory, "a.msg");
        File.WriteAllText(from, "new");
        File.WriteAllText(to, "old");

        Assert.ThrowsAny<IOException>(() => DurableFiles.RenameNoReplace(from, to));

        Assert.Equal("new", File.ReadAllText(from));
        Assert.Equal("old", File.ReadAllText(to));
    }

    [Fact]
    public void RenameNoReplace_of_a_missing_file_is_FileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() =>
            DurableFiles.RenameNoReplace(Path.Combine(_directory, "gone.tmp"), Path.Combine(_directory, "gone.msg")));
    }
}
