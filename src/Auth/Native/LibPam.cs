using System.Runtime.InteropServices;

namespace MailerQ.Www.Auth.Native;

/// <summary>
/// Linux-PAM (libpam.so.0, Debian 12: 1.5.2) through source-generated P/Invoke, NativeAOT-safe: only
/// blittable pointers and ints cross, and the conversation is an <c>[UnmanagedCallersOnly]</c> function
/// pointer (see <see cref="PamConversation"/>). Constants from security/_pam_types.h.
/// </summary>
internal static unsafe partial class LibPam
{
    private const string Library = "libpam.so.0";

    /// <summary>True when libpam.so.0 can be loaded (checked at config time for a clear error).</summary>
    public static bool IsAvailable { get; } = Probe();

    private static bool Probe()
    {
        if (!NativeLibrary.TryLoad(Library, out nint handle))
            return false;
        bool found = NativeLibrary.TryGetExport(handle, "pam_start", out _);
        NativeLibrary.Free(handle);
        return found;
    }

    public const int Success = 0;
    public const int ConversationError = 19;
    public const int BufferError = 5;
    public const int AuthError = 7;
    public const int UserUnknown = 10;
    public const int MaxTries = 11;
    public const int NewAuthTokenRequired = 12;
    public const int AccountExpired = 13;
    public const int PermissionDenied = 6;

    /// <summary>Do not emit messages (to the conversation).</summary>
    public const int FlagSilent = 0x8000;

    /// <summary>pam_authenticate: fail for accounts whose password is empty, whatever <c>nullok</c> says.</summary>
    public const int FlagDisallowNullAuthToken = 0x0001;

    public const int PromptEchoOff = 1;
    public const int PromptEchoOn = 2;
    public const int ErrorMessage = 3;
    public const int TextInfo = 4;

    /// <summary>pam_set_item: the remote host (pam_access, logs).</summary>
    public const int ItemRemoteHost = 4;

    [LibraryImport(Library, EntryPoint = "pam_start")]
    public static partial int Start(byte* serviceName, byte* user, PamConv* conversation, nint* handle);

    [LibraryImport(Library, EntryPoint = "pam_authenticate")]
    public static partial int Authenticate(nint handle, int flags);

    [LibraryImport(Library, EntryPoint = "pam_acct_mgmt")]
    public static partial int AccountManagement(nint handle, int flags);

    [LibraryImport(Library, EntryPoint = "pam_end")]
    public static partial int End(nint handle, int status);

    [LibraryImport(Library, EntryPoint = "pam_strerror")]
    public static partial byte* StrError(nint handle, int error);
}
