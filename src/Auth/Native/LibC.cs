using System.Runtime.InteropServices;

namespace MailerQ.Www.Auth.Native;

/// <summary>The two libc calls exec:// needs to end a whole process group (kill(2), getpgid(2)).</summary>
internal static partial class LibC
{
    private const string Library = "libc";

    public const int SigKill = 9;

    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport(Library, EntryPoint = "getpgid", SetLastError = true)]
    public static partial int GetProcessGroup(int pid);
}
