using System.Runtime.InteropServices;

namespace MailerQ.Www.Auth.Native;

/// <summary>
/// libxcrypt (Debian 12: libcrypt1 4.4.33), the library behind <c>/etc/shadow</c> checks, <c>mkpasswd</c>
/// and PAM. Verifying through it is exact by construction for every format it knows: <c>$y$</c>,
/// <c>$6$</c>, <c>$5$</c>, <c>$2a$/$2b$/$2y$</c> and <c>$1$</c>. <c>crypt_rn</c> is the reentrant form
/// that takes caller memory and returns NULL instead of a "*0" failure token (crypt(5), crypt_rn(3)).
/// </summary>
internal static unsafe partial class LibCrypt
{
    private const string Library = "libcrypt.so.1";

    /// <summary>
    /// <c>sizeof(struct crypt_data)</c> in libxcrypt's crypt.h: output 384 + setting 384 + input 512 +
    /// reserved 767 + initialized 1 + internal 30720 bytes.
    /// </summary>
    private const int CryptDataSize = 32768;

    /// <summary>True when libcrypt.so.1 can be loaded (checked once, at config time, for a clear error).</summary>
    public static bool IsAvailable { get; } = Probe();

    private static bool Probe()
    {
        if (!NativeLibrary.TryLoad(Library, out nint handle))
            return false;
        bool found = NativeLibrary.TryGetExport(handle, "crypt_rn", out _);
        NativeLibrary.Free(handle);
        return found;
    }

    [LibraryImport(Library, EntryPoint = "crypt_rn")]
    private static partial byte* CryptRn(byte* phrase, byte* setting, void* data, int size);

    /// <summary>
    /// Hashes <paramref name="phrase"/> (UTF-8, no NUL) with <paramref name="setting"/> (a full hash or a
    /// prefix with the salt). Null when libcrypt refuses the setting or the phrase (over 511 bytes).
    /// The scratch memory, which holds a copy of the phrase, is wiped before it is freed.
    /// </summary>
    public static string? Crypt(ReadOnlySpan<byte> phrase, string setting)
    {
        if (phrase.IndexOf((byte)0) >= 0 || setting.Contains('\0', StringComparison.Ordinal))
            return null;

        int settingLength = System.Text.Encoding.UTF8.GetByteCount(setting);
        byte* native = (byte*)NativeMemory.AllocZeroed((nuint)(CryptDataSize + phrase.Length + 1 + settingLength + 1));
        try
        {
            byte* phrasePtr = native + CryptDataSize;
            byte* settingPtr = phrasePtr + phrase.Length + 1;
            phrase.CopyTo(new Span<byte>(phrasePtr, phrase.Length));
            System.Text.Encoding.UTF8.GetBytes(setting, new Span<byte>(settingPtr, settingLength));

            byte* result = CryptRn(phrasePtr, settingPtr, native, CryptDataSize);
            return result is null ? null : Marshal.PtrToStringUTF8((nint)result);
        }
        finally
        {
            NativeMemory.Clear(native, (nuint)(CryptDataSize + phrase.Length + 1 + settingLength + 1));
            NativeMemory.Free(native);
        }
    }
}
