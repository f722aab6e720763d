using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MailerQ.Www.Smtp.Queue;

/// <summary>The two flushes the spool journal needs that .NET does not expose: fdatasync(2) and syncfs(2).</summary>
internal static partial class FileSync
{
    private const int ODirectory = 0x10000; // Linux x86-64/arm64 O_DIRECTORY
    private const int OCloexec = 0x80000;

    /// <summary>Makes the written bytes of an open file durable (and its size; not its other metadata).</summary>
    public static void DataSync(SafeFileHandle file, string path)
    {
        if (FDataSync(file) != 0)
            throw new IOException($"fdatasync({path}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>
    /// Makes everything written to the file system that holds <paramref name="directory"/> durable: one call for all
    /// the queue files the journal made visible, instead of an fsync each.
    /// </summary>
    public static void SyncFileSystem(string directory)
    {
        int fd = Open(directory, ODirectory | OCloexec);
        if (fd < 0)
            throw new IOException($"open({directory}) failed: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (SyncFs(fd) != 0)
                throw new IOException($"syncfs({directory}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FDataSync(SafeFileHandle fd);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncFs(int fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
