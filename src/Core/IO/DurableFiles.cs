using System.Runtime.InteropServices;

namespace MailerQ.Www.Core.IO;

/// <summary>
/// The POSIX calls .NET does not expose: fsync of a directory (so a rename survives a power cut,
/// as rename(2) alone only orders the metadata in memory) and link(2) (a second name for a file
/// without copying it).
/// </summary>
public static partial class DurableFiles
{
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000; // Linux x86-64/arm64 O_DIRECTORY
    private const int OCloexec = 0x80000;

    /// <summary>Makes the entries of <paramref name="directory"/> (creations, renames, deletions) durable.</summary>
    public static void SyncDirectory(string directory)
    {
        int fd = Open(directory, ORdOnly | ODirectory | OCloexec);
        if (fd < 0)
            throw new IOException($"open({directory}) failed: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (FSync(fd) != 0)
                throw new IOException($"fsync({directory}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Creates a hard link; false when the file system refuses (EXDEV, EPERM), so the caller can copy instead.</summary>
    public static bool TryLink(string existing, string newPath) => Link(existing, newPath) == 0;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string newPath);
}
