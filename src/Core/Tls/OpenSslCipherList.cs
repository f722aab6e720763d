using System.Net.Security;
using System.Runtime.InteropServices;
using System.Text;

namespace MailerQ.Www.Core.Tls;

/// <summary>
/// Resolves a <c>www-ciphers</c> OpenSSL cipher string to the cipher suites
/// <c>openssl ciphers -s -stdname '&lt;string&gt;'</c> prints, in the same order.
/// </summary>
/// <remarks>
/// Equivalence by construction: we make the calls apps/ciphers.c makes for <c>-s</c> against the same libssl
/// (see <see cref="LibSsl"/>): <c>SSL_CTX_new(TLS_server_method())</c>, <c>SSL_CTX_set_cipher_list</c>,
/// <c>SSL_new</c>, <c>SSL_get1_supported_ciphers</c>. That last call drops what this SSL could never negotiate:
/// suites below the security level (openssl.cnf or <c>@SECLEVEL</c>), PSK and SRP suites (no callbacks are set),
/// and suites whose auth algorithm has no enabled signature algorithm. TLS 1.3 suites come from the context's
/// default ciphersuites and are listed first, as openssl does. Config-time code: it allocates freely.
/// </remarks>
internal static class OpenSslCipherList
{
    // SSL_CIPHER_get_version() names the protocol that introduced a suite; only TLS 1.3 suites say this.
    private const string Tls13Version = "TLSv1.3";

    /// <summary>
    /// <paramref name="suites"/> gets the ordered list (TLS 1.3 suites first) when OpenSSL accepts the string and
    /// at least one suite usable with TLS 1.2 remains. Otherwise <paramref name="error"/> says why.
    /// </summary>
    /// <remarks>
    /// A string that leaves only the TLS 1.3 suites is refused although <c>openssl ciphers</c> exits 0 for it:
    /// those suites are not chosen by <c>www-ciphers</c> at all (TLS 1.3 ignores cipher strings), so such a value
    /// selects nothing and is the config error the contract asks for, and TLS 1.2 clients would all fail.
    /// </remarks>
    public static bool TryResolve(string cipherString, out IReadOnlyList<TlsCipherSuite> suites, out string? error)
    {
        ArgumentNullException.ThrowIfNull(cipherString);
        suites = [];
        // The UTF-8 marshaller would stop at a NUL and hand OpenSSL a shorter string than the config holds.
        if (cipherString.Contains('\0', StringComparison.Ordinal))
        {
            error = "the cipher list contains a NUL character";
            return false;
        }

        try
        {
            return TryResolveCore(cipherString, out suites, out error);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            error = $"cannot use OpenSSL 3 ({LibSsl.LibraryName}, {LibCrypto.LibraryName}) to resolve the cipher list: {e.Message}";
            return false;
        }
    }

    private static bool TryResolveCore(string cipherString, out IReadOnlyList<TlsCipherSuite> suites, out string? error)
    {
        suites = [];
        // The error queue is per thread and may hold leftovers from earlier, unrelated calls.
        LibCrypto.ERR_clear_error();
        nint ctx = LibSsl.SSL_CTX_new(LibSsl.TLS_server_method());
        if (ctx == 0)
        {
            error = "OpenSSL could not create an SSL_CTX: " + DrainErrorQueue();
            return false;
        }

        nint ssl = 0;
        nint stack = 0;
        try
        {
            if (LibSsl.SSL_CTX_set_cipher_list(ctx, cipherString) != 1)
            {
                error = $"OpenSSL rejects the cipher list \"{cipherString}\": {DrainErrorQueue()}";
                return false;
            }

            ssl = LibSsl.SSL_new(ctx);
            if (ssl == 0)
            {
                error = "OpenSSL could not create an SSL: " + DrainErrorQueue();
                return false;
            }

            stack = LibSsl.SSL_get1_supported_ciphers(ssl);
            int count = stack == 0 ? 0 : LibCrypto.OPENSSL_sk_num(stack);
            var list = new List<TlsCipherSuite>(count);
            int tls12Usable = 0;
            for (int i = 0; i < count; i++)
            {
                nint cipher = LibCrypto.OPENSSL_sk_value(stack, i);
                // The two-byte IANA code point is exactly TlsCipherSuite's numeric value.
                list.Add((TlsCipherSuite)LibSsl.SSL_CIPHER_get_protocol_id(cipher));
                // In OpenSSL 3 every non-1.3 suite has max_tls = TLS 1.2, so "not 1.3" means "usable with TLS 1.2".
                if (Marshal.PtrToStringUTF8(LibSsl.SSL_CIPHER_get_version(cipher)) != Tls13Version)
                    tls12Usable++;
            }

            if (tls12Usable == 0)
            {
                error = $"the cipher list \"{cipherString}\" selects no cipher suite usable with TLS 1.2 " +
                    "(OpenSSL's security level, or missing PSK/SRP support, removes whatever it matched)";
                return false;
            }

            suites = list;
            error = null;
            return true;
        }
        finally
        {
            // All three free functions accept NULL.
            LibCrypto.OPENSSL_sk_free(stack);
            LibSsl.SSL_free(ssl);
            LibSsl.SSL_CTX_free(ctx);
            // Leave the queue clean for .NET's own OpenSSL calls on this thread.
            LibCrypto.ERR_clear_error();
        }
    }

    private static string DrainErrorQueue()
    {
        var text = new StringBuilder();
        Span<byte> buffer = stackalloc byte[256];
        for (CULong code = LibCrypto.ERR_get_error(); code.Value != 0; code = LibCrypto.ERR_get_error())
        {
            buffer.Clear();
            LibCrypto.ERR_error_string_n(code, buffer, (nuint)buffer.Length);
            int end = buffer.IndexOf((byte)0);
            if (text.Length > 0)
                text.Append("; ");
            text.Append(Encoding.UTF8.GetString(end < 0 ? buffer : buffer[..end]));
        }

        return text.Length == 0 ? "no reason given" : text.ToString();
    }
}
