using System.Runtime.InteropServices;

namespace MailerQ.Www.Core.Tls;

/// <summary>
/// The few libssl entry points <see cref="OpenSslCipherList"/> needs. Pointers stay <see cref="nint"/>:
/// every object is created and freed inside one method, so SafeHandles would add nothing.
/// </summary>
/// <remarks>
/// Bound by soname <c>libssl.so.3</c>, the OpenSSL 3 ABI that Debian 12 ships and that .NET's own
/// System.Security.Cryptography.Native.OpenSsl already has loaded in this process, so the cipher tables,
/// security level and openssl.cnf we see are the ones SslStream uses. A bare <c>libssl.so</c> exists only
/// with libssl-dev, and <c>libssl.so.1.1</c> has a different cipher-string grammar.
/// </remarks>
internal static partial class LibSsl
{
    internal const string LibraryName = "libssl.so.3";

    [LibraryImport(LibraryName)]
    internal static partial nint TLS_server_method();

    [LibraryImport(LibraryName)]
    internal static partial nint SSL_CTX_new(nint method);

    [LibraryImport(LibraryName)]
    internal static partial void SSL_CTX_free(nint ctx);

    /// <returns>1 on success; 0 when the string is malformed or selects no TLS ≤ 1.2 cipher.</returns>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int SSL_CTX_set_cipher_list(nint ctx, string str);

    [LibraryImport(LibraryName)]
    internal static partial nint SSL_new(nint ctx);

    [LibraryImport(LibraryName)]
    internal static partial void SSL_free(nint ssl);

    /// <summary>A new STACK_OF(SSL_CIPHER), or NULL when nothing qualifies; free it with OPENSSL_sk_free only (the ciphers are static).</summary>
    [LibraryImport(LibraryName)]
    internal static partial nint SSL_get1_supported_ciphers(nint ssl);

    [LibraryImport(LibraryName)]
    internal static partial ushort SSL_CIPHER_get_protocol_id(nint cipher);

    [LibraryImport(LibraryName)]
    internal static partial nint SSL_CIPHER_get_version(nint cipher);
}
