using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MailerQ.Www.Core.IO;

/// <summary>
/// The POSIX calls .NET does not expose: fsync of a directory (so a rename survives a power cut,
/// as rename(2) alone only orders the metadata in memory), fdatasync(2) and syncfs(2) (the spool
/// journal's group commit) and link(2) (a second name for a file without copying it).
/// </summary>
public static partial class DurableFiles
{
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000; // Linux x86-64/arm64 O_DIRECTORY
    private const int OCloexec = 0x80000;

    /// <summary>Makes the entries of <paramref name="directory"/> (creations, renames, deletions) durable.</summary>
    public static void SyncDirectory(string directory) => OnDirectory(directory, "fsync", static fd => FSync(fd));

    /// <summary>
    /// Makes everything written to the file system that holds <paramref name="directory"/> durable: one call for
    /// many files written without an fsync each.
    /// </summary>
    public static void SyncFileSystem(string directory) => OnDirectory(directory, "syncfs", static fd => SyncFs(fd));

    /// <summary>Makes the written bytes of an open file durable (and its size; not its other metadata).</summary>
    public static void SyncData(SafeFileHandle file, string path)
    {
        if (FDataSync(file) != 0)
            throw new IOException($"fdatasync({path}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Creates a hard link; false when the file system refuses (EXDEV, EPERM), so the caller can copy instead.</summary>
    public static bool TryLink(string existing, string newPath) => Link(existing, newPath) == 0;

    private static void OnDirectory(string directory, string name, Func<int, int> call)
    {
        int fd = Open(directory, ORdOnly | ODirectory | OCloexec);
        if (fd < 0)
            throw new IOException($"open({directory}) failed: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (call(fd) != 0)
                throw new IOException($"{name}({directory}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FDataSync(SafeFileHandle fd);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncFs(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string newPath);
}
