using System.Runtime.InteropServices;

namespace MailerQ.Www.Core.Tls;

/// <summary>
/// libcrypto entry points behind OpenSSL 3 macros: <c>sk_SSL_CIPHER_num/value/free</c> expand to the
/// <c>OPENSSL_sk_*</c> functions, which are the only exported symbols.
/// </summary>
/// <remarks>Bound by soname <c>libcrypto.so.3</c> for the same reason as <see cref="LibSsl"/>.</remarks>
internal static partial class LibCrypto
{
    internal const string LibraryName = "libcrypto.so.3";

    [LibraryImport(LibraryName)]
    internal static partial int OPENSSL_sk_num(nint stack);

    [LibraryImport(LibraryName)]
    internal static partial nint OPENSSL_sk_value(nint stack, int index);

    [LibraryImport(LibraryName)]
    internal static partial void OPENSSL_sk_free(nint stack);

    /// <remarks>C <c>unsigned long</c>: 64-bit on LP64 Linux, hence <see cref="CULong"/>.</remarks>
    [LibraryImport(LibraryName)]
    internal static partial CULong ERR_get_error();

    [LibraryImport(LibraryName)]
    internal static partial void ERR_clear_error();

    [LibraryImport(LibraryName)]
    internal static partial void ERR_error_string_n(CULong error, Span<byte> buffer, nuint length);
}
