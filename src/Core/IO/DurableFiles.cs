using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MailerQ.Www.Core.IO;

/// <summary>
/// The POSIX calls .NET does not expose: fsync of a directory (so a rename survives a power cut,
/// as rename(2) alone only orders the metadata in memory), fdatasync(2) and syncfs(2) (the spool
/// journal's group commit), link(2) (a second name for a file without copying it), and the plain
/// create-write-close and renameat2(2) the spool journal runs once per accepted message.
/// </summary>
/// <remarks>
/// Why the last two: <c>File.OpenHandle</c> + <c>RandomAccess.Write</c> + <c>File.Move</c> cost ten system calls
/// where four do the work (flock twice for the sharing emulation, lseek, and three lstat before the rename; strace
/// in docs/perf.md), and on the 2-core test machine every kernel entry is paid for by the SMTP sessions.
/// </remarks>
public static partial class DurableFiles
{
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000; // Linux x86-64/arm64 O_DIRECTORY
    private const int OCloexec = 0x80000;
    private const int OWrOnly = 1;
    private const int OCreat = 0x40;
    private const int OExcl = 0x80;
    private const int AtFdCwd = -100;
    private const uint RenameNoReplaceFlag = 1;
    private const int ENoEnt = 2;
    private const int EIntr = 4;
    private const int EInval = 22;
    private const int ENoSys = 38;

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
            throw Failure("fdatasync", path);
    }

    /// <summary>Creates a hard link; false when the file system refuses (EXDEV, EPERM), so the caller can copy instead.</summary>
    public static bool TryLink(string existing, string newPath) => Link(existing, newPath) == 0;

    /// <summary>
    /// Creates <paramref name="path"/> (which must not exist) holding <paramref name="content"/>, without an fsync:
    /// open(O_CREAT|O_EXCL), write, close. Throws <see cref="IOException"/> naming the path and errno.
    /// </summary>
    public static void WriteNew(string path, ReadOnlySpan<byte> content)
    {
        int fd = Open(path, OWrOnly | OCreat | OExcl | OCloexec, 0b110_110_110);
        if (fd < 0)
            throw Failure("open", path);
        try
        {
            long offset = 0;
            while (!content.IsEmpty)
            {
                nint written = PWrite(fd, content, (nuint)content.Length, offset);
                if (written < 0)
                {
                    if (Marshal.GetLastPInvokeError() == EIntr)
                        continue;
                    throw Failure("write", path);
                }
                content = content[(int)written..];
                offset += written;
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>
    /// Renames <paramref name="from"/> to <paramref name="to"/> unless <paramref name="to"/> exists (then
    /// <see cref="IOException"/>): one renameat2(RENAME_NOREPLACE), atomic, where the file system supports it,
    /// else <see cref="File.Move(string, string, bool)"/>.
    /// </summary>
    public static void RenameNoReplace(string from, string to)
    {
        if (RenameAt2(AtFdCwd, from, AtFdCwd, to, RenameNoReplaceFlag) == 0)
            return;
        int errno = Marshal.GetLastPInvokeError();
        if (errno is EInval or ENoSys)
        {
            File.Move(from, to, overwrite: false);
            return;
        }
        throw errno == ENoEnt ? new FileNotFoundException($"renameat2({from}, {to}) failed: errno {errno}", from) : Failure("renameat2", $"{from}, {to}", errno);
    }

    private static IOException Failure(string call, string path, int? errno = null) =>
        new($"{call}({path}) failed: errno {errno ?? Marshal.GetLastPInvokeError()}");

    private static void OnDirectory(string directory, string name, Func<int, int> call)
    {
        int fd = Open(directory, ORdOnly | ODirectory | OCloexec);
        if (fd < 0)
            throw Failure("open", directory);
        try
        {
            if (call(fd) != 0)
                throw Failure(name, directory);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    private static partial nint PWrite(int fd, ReadOnlySpan<byte> buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int fromDirectory, string from, int toDirectory, string to, uint flags);

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
