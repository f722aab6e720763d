namespace MailerQ.Www.Auth.Crypt;

/// <summary>What tells a changed password file apart: modification time and size (a rename-over shows in both).</summary>
internal readonly record struct FileStamp(bool Exists, DateTime LastWriteUtc, long Length)
{
    public static FileStamp Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileStamp(true, info.LastWriteTimeUtc, info.Length) : default;
    }
}
