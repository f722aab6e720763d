using System.Diagnostics.CodeAnalysis;
using System.Formats.Asn1;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MailerQ.Www.Core.Tls;

/// <summary>
/// Loads <c>www-certificate</c> (PEM: leaf first, then chain certificates) and <c>www-privatekey</c>
/// (PEM: PKCS#1 <c>RSA PRIVATE KEY</c>, PKCS#8 <c>PRIVATE KEY</c> or SEC1 <c>EC PRIVATE KEY</c>) into an
/// <see cref="SslStreamCertificateContext"/>.
/// </summary>
/// <remarks>
/// The key stays an ephemeral in-memory OpenSSL key: on Linux SslStream uses it as is, so there is no PFX
/// round-trip (that is only needed on Windows, where SChannel wants a persisted key). Config-time code.
/// </remarks>
internal static class PemCertificateLoader
{
    /// <summary>
    /// A leaf plus a few intermediates is a few KiB; 1 MiB is far above any real bundle and stops a mistyped
    /// path (a log file, <c>/dev/zero</c>) from being read into memory.
    /// </summary>
    internal const int MaxFileBytes = 1 << 20;

    // RFC 8017 A.1 rsaEncryption and RFC 5480 2.1.1 id-ecPublicKey: the two key types the contract allows.
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";

    public static PemLoadResult Load(string certificatePath, string keyPath) =>
        Load(certificatePath, keyPath, TimeProvider.System);

    /// <param name="certificatePath">The PEM certificate chain.</param>
    /// <param name="keyPath">The PEM private key (may be the same file).</param>
    /// <param name="time">Only used to warn about certificates outside their validity period.</param>
    public static PemLoadResult Load(string certificatePath, string keyPath, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(certificatePath);
        ArgumentNullException.ThrowIfNull(keyPath);
        ArgumentNullException.ThrowIfNull(time);

        char[] certificateText = [];
        char[] keyText = [];
        byte[] keyDer = [];
        var certificates = new List<X509Certificate2>();
        X509Certificate2? leaf = null;
        try
        {
            if (!TryReadFile(certificatePath, "certificate", out certificateText, out PemLoadResult? failure) ||
                !TryReadFile(keyPath, "private key", out keyText, out failure) ||
                !TryReadCertificates(certificatePath, certificateText, certificates, out failure) ||
                !TryReadKey(keyPath, keyText, out string keyLabel, out keyDer, out failure))
                return failure;

            if (!TryAttachKey(certificatePath, keyPath, certificates[0], keyLabel, keyDer, out leaf, out failure))
            {
                return failure.Failure == PemLoadFailure.KeyMismatch
                    ? LeafOrderHint(certificatePath, keyPath, certificates, keyLabel, keyDer) ?? failure
                    : failure;
            }

            var chain = new X509Certificate2Collection();
            for (int i = 1; i < certificates.Count; i++)
                chain.Add(certificates[i]);

            SslStreamCertificateContext context;
            try
            {
                // offline: the chain is what the file holds; never fetch missing intermediates (AIA) at startup.
                context = SslStreamCertificateContext.Create(leaf, chain, offline: true);
            }
            catch (Exception e) when (e is CryptographicException or NotSupportedException)
            {
                return PemLoadResult.Fail(PemLoadFailure.ContextFailed,
                    $"cannot build a TLS certificate context from {certificatePath}: {e.Message}");
            }

            var warnings = new List<string>();
            DateTime now = time.GetUtcNow().UtcDateTime;
            for (int i = 0; i < certificates.Count; i++)
                AddValidityWarnings(certificatePath, i, certificates[i], now, warnings);
            AddUnsentWarnings(certificatePath, context, chain, warnings);

            certificates[0].Dispose(); // the public-only copy; leaf owns the key
            var result = PemLoadResult.Success(context, leaf, chain, warnings);
            leaf = null;
            certificates.Clear();
            return result;
        }
        finally
        {
            leaf?.Dispose();
            foreach (X509Certificate2 certificate in certificates)
                certificate.Dispose();
            // Key material must not linger in freed managed memory; the certificate file may hold the key too.
            CryptographicOperations.ZeroMemory(keyDer);
            Array.Clear(keyText);
            Array.Clear(certificateText);
        }
    }

    private static bool TryReadFile(string path, string what, out char[] text, [NotNullWhen(false)] out PemLoadResult? failure)
    {
        text = [];
        failure = null;
        if (path.Length == 0)
        {
            failure = PemLoadResult.Fail(PemLoadFailure.FileMissing, $"no {what} file given");
            return false;
        }

        // Opening a directory fails with a generic "access denied" on Unix; say what is wrong instead.
        if (Directory.Exists(path))
        {
            failure = PemLoadResult.Fail(PemLoadFailure.FileUnreadable, $"{what} file {path} is a directory");
            return false;
        }

        // Sized so a key file never makes the stream regrow and leave an unzeroed copy behind.
        byte[] buffer = new byte[16 * 1024];
        using var content = new MemoryStream(buffer.Length);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            int read;
            // Read to the cap rather than trust Length: /dev/stdin, FIFOs and /proc files report 0.
            while ((read = stream.Read(buffer)) > 0)
            {
                if (content.Length + read > MaxFileBytes)
                {
                    failure = PemLoadResult.Fail(PemLoadFailure.FileTooLarge,
                        $"{what} file {path} is larger than {MaxFileBytes} bytes; it is not a PEM file");
                    return false;
                }

                content.Write(buffer, 0, read);
            }

            // PEM is ASCII; Latin-1 maps every byte to one char, so garbage cannot make decoding throw.
            text = Encoding.Latin1.GetChars(content.GetBuffer(), 0, (int)content.Length);
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            failure = PemLoadResult.Fail(PemLoadFailure.FileMissing, $"{what} file {path} does not exist");
            return false;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            failure = PemLoadResult.Fail(PemLoadFailure.FileUnreadable, $"cannot read {what} file {path}: {e.Message}");
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            CryptographicOperations.ZeroMemory(content.GetBuffer());
        }
    }

    private static bool TryReadCertificates(
        string path, char[] text, List<X509Certificate2> certificates, [NotNullWhen(false)] out PemLoadResult? failure)
    {
        failure = null;
        int offset = 0;
        while (PemEncoding.TryFind(text.AsSpan(offset), out PemFields fields))
        {
            ReadOnlySpan<char> block = text.AsSpan(offset);
            offset += fields.Location.End.Value;
            // RFC 7468 section 5: "CERTIFICATE" is the label; others (keys, "TRUSTED CERTIFICATE") are skipped.
            if (!block[fields.Label].SequenceEqual("CERTIFICATE"))
                continue;

            try
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(Decode(block, fields)));
            }
            catch (CryptographicException e)
            {
                failure = PemLoadResult.Fail(PemLoadFailure.InvalidCertificate,
                    $"certificate #{certificates.Count + 1} in {path} is not a valid X.509 certificate: {e.Message}");
                return false;
            }
        }

        if (certificates.Count == 0)
        {
            failure = PemLoadResult.Fail(PemLoadFailure.NoCertificate,
                $"{path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            return false;
        }

        return true;
    }

    private static bool TryReadKey(
        string path, char[] text, out string label, out byte[] der, [NotNullWhen(false)] out PemLoadResult? failure)
    {
        label = "";
        der = [];
        failure = null;
        // RFC 1421 headers make the block invalid RFC 7468 PEM, so PemEncoding would just not see it.
        if (text.AsSpan().Contains("Proc-Type: 4,ENCRYPTED", StringComparison.OrdinalIgnoreCase) ||
            text.AsSpan().Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal))
        {
            failure = PemLoadResult.Fail(PemLoadFailure.EncryptedPrivateKey,
                $"the private key in {path} is encrypted; the server cannot ask for a passphrase, so store it " +
                "unencrypted (openssl pkey -in KEY -out KEY.plain) and protect the file with permissions");
            return false;
        }

        int found = 0;
        int offset = 0;
        while (PemEncoding.TryFind(text.AsSpan(offset), out PemFields fields))
        {
            ReadOnlySpan<char> block = text.AsSpan(offset);
            offset += fields.Location.End.Value;
            ReadOnlySpan<char> blockLabel = block[fields.Label];
            if (!blockLabel.EndsWith("PRIVATE KEY", StringComparison.Ordinal))
                continue; // certificates or "EC PARAMETERS" (openssl ecparam -genkey writes it first)

            if (++found > 1)
            {
                CryptographicOperations.ZeroMemory(der);
                der = [];
                failure = PemLoadResult.Fail(PemLoadFailure.MultiplePrivateKeys,
                    $"{path} holds more than one private key; keep only the one for the certificate");
                return false;
            }

            label = blockLabel.ToString();
            der = Decode(block, fields);
        }

        if (found == 0)
        {
            failure = PemLoadResult.Fail(PemLoadFailure.NoPrivateKey,
                $"{path} holds no PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)");
            return false;
        }

        return true;
    }

    private static bool TryAttachKey(
        string certificatePath,
        string keyPath,
        X509Certificate2 certificate,
        string label,
        byte[] der,
        [NotNullWhen(true)] out X509Certificate2? leaf,
        [NotNullWhen(false)] out PemLoadResult? failure)
    {
        leaf = null;
        failure = null;
        string certificateAlgorithm = certificate.GetKeyAlgorithm();
        if (certificateAlgorithm is not (RsaOid or EcOid))
        {
            failure = PemLoadResult.Fail(PemLoadFailure.UnsupportedKeyAlgorithm,
                $"the certificate in {certificatePath} has a {AlgorithmName(certificateAlgorithm)} key; only RSA and EC are supported");
            return false;
        }

        string? keyAlgorithm = label switch
        {
            "RSA PRIVATE KEY" => RsaOid,
            "EC PRIVATE KEY" => EcOid,
            "PRIVATE KEY" => Pkcs8Algorithm(der),
            _ => null,
        };
        if (keyAlgorithm is null)
        {
            failure = PemLoadResult.Fail(label == "PRIVATE KEY" ? PemLoadFailure.InvalidPrivateKey : PemLoadFailure.UnsupportedKeyAlgorithm,
                label == "PRIVATE KEY"
                    ? $"the PKCS#8 private key in {keyPath} is malformed"
                    : $"{keyPath} holds a \"{label}\"; only RSA and EC keys are supported");
            return false;
        }

        if (keyAlgorithm != certificateAlgorithm)
        {
            failure = PemLoadResult.Fail(
                keyAlgorithm is RsaOid or EcOid ? PemLoadFailure.KeyMismatch : PemLoadFailure.UnsupportedKeyAlgorithm,
                $"the private key in {keyPath} is {AlgorithmName(keyAlgorithm)} but the certificate in {certificatePath} " +
                $"has a {AlgorithmName(certificateAlgorithm)} key");
            return false;
        }

        try
        {
            leaf = keyAlgorithm == RsaOid
                ? AttachRsa(certificate, label, der)
                : AttachEc(certificate, label, der);
        }
        catch (CryptographicException e)
        {
            failure = PemLoadResult.Fail(PemLoadFailure.InvalidPrivateKey, $"cannot read the private key in {keyPath}: {e.Message}");
            return false;
        }

        if (leaf is null)
        {
            failure = PemLoadResult.Fail(PemLoadFailure.KeyMismatch,
                $"the private key in {keyPath} does not belong to the first certificate in {certificatePath} " +
                $"(\"{certificate.Subject}\")");
            return false;
        }

        return true;
    }

    /// <summary>The DER of a block PemEncoding.TryFind has already validated, without a base64 string copy.</summary>
    private static byte[] Decode(ReadOnlySpan<char> block, PemFields fields)
    {
        byte[] der = new byte[fields.DecodedDataLength];
        Convert.TryFromBase64Chars(block[fields.Base64Data], der, out _);
        return der;
    }

    /// <summary>A clearer error for the common mistake of putting the chain before the leaf.</summary>
    private static PemLoadResult? LeafOrderHint(
        string certificatePath, string keyPath, List<X509Certificate2> certificates, string keyLabel, byte[] keyDer)
    {
        for (int i = 1; i < certificates.Count; i++)
        {
            if (!TryAttachKey(certificatePath, keyPath, certificates[i], keyLabel, keyDer, out X509Certificate2? match, out _))
                continue;
            match.Dispose();
            return PemLoadResult.Fail(PemLoadFailure.KeyMismatch,
                $"the private key in {keyPath} belongs to certificate #{i + 1} in {certificatePath} (\"{certificates[i].Subject}\"), " +
                "not to the first one; the leaf certificate must come first");
        }

        return null;
    }

    /// <returns>The certificate with the key, or null when the key's public half is not the certificate's.</returns>
    private static X509Certificate2? AttachRsa(X509Certificate2 certificate, string label, byte[] der)
    {
        // CopyWithPrivateKey duplicates the OpenSSL key handle, so disposing ours is safe.
        using RSA key = RSA.Create();
        if (label == "RSA PRIVATE KEY")
            key.ImportRSAPrivateKey(der, out _);
        else
            key.ImportPkcs8PrivateKey(der, out _);

        using RSA? expected = certificate.GetRSAPublicKey();
        if (expected is null)
            return null;
        RSAParameters want = expected.ExportParameters(false);
        RSAParameters have = key.ExportParameters(false);
        if (!want.Modulus.AsSpan().SequenceEqual(have.Modulus) || !want.Exponent.AsSpan().SequenceEqual(have.Exponent))
            return null;
        return certificate.CopyWithPrivateKey(key);
    }

    private static X509Certificate2? AttachEc(X509Certificate2 certificate, string label, byte[] der)
    {
        using ECDsa key = ECDsa.Create();
        if (label == "EC PRIVATE KEY")
            key.ImportECPrivateKey(der, out _);
        else
            key.ImportPkcs8PrivateKey(der, out _);

        using ECDsa? expected = certificate.GetECDsaPublicKey();
        if (expected is null)
            return null;
        // Same point means same curve too: the coordinates would differ in length or value otherwise.
        ECPoint want = expected.ExportParameters(false).Q;
        ECPoint have = key.ExportParameters(false).Q;
        if (!want.X.AsSpan().SequenceEqual(have.X) || !want.Y.AsSpan().SequenceEqual(have.Y))
            return null;
        return certificate.CopyWithPrivateKey(key);
    }

    /// <summary>The algorithm OID of a PKCS#8 PrivateKeyInfo (RFC 5208 section 5), or null when it is not one.</summary>
    private static string? Pkcs8Algorithm(byte[] der)
    {
        try
        {
            var info = new AsnReader(der, AsnEncodingRules.BER).ReadSequence();
            info.ReadInteger();
            return info.ReadSequence().ReadObjectIdentifier();
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static string AlgorithmName(string oid) => oid switch
    {
        RsaOid => "RSA",
        EcOid => "EC",
        "1.2.840.113549.1.1.10" => "RSASSA-PSS",
        "1.2.840.10040.4.1" => "DSA",
        "1.3.101.112" => "Ed25519",
        "1.3.101.113" => "Ed448",
        "1.3.101.110" => "X25519",
        "1.3.101.111" => "X448",
        _ => "OID " + oid,
    };

    private static void AddValidityWarnings(string path, int index, X509Certificate2 certificate, DateTime utcNow, List<string> warnings)
    {
        string which = index == 0 ? "the certificate" : $"chain certificate #{index + 1}";
        DateTime notAfter = certificate.NotAfter.ToUniversalTime();
        DateTime notBefore = certificate.NotBefore.ToUniversalTime();
        if (notAfter < utcNow)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"{which} in {path} (\"{certificate.Subject}\") expired on {notAfter:u}; clients will reject it"));
        }
        else if (notBefore > utcNow)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"{which} in {path} (\"{certificate.Subject}\") is not valid before {notBefore:u}; clients will reject it"));
        }
    }

    /// <summary>
    /// SslStream sends only what chains to the leaf. A self-signed root is left out on purpose (clients must
    /// already trust it); any other certificate that is not sent points at a wrong or mixed-up file.
    /// </summary>
    private static void AddUnsentWarnings(string path, SslStreamCertificateContext context, X509Certificate2Collection chain, List<string> warnings)
    {
        IReadOnlyList<X509Certificate2> sent = context.IntermediateCertificates;
        for (int i = 0; i < chain.Count; i++)
        {
            X509Certificate2 certificate = chain[i];
            if (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
                continue;
            bool isSent = false;
            foreach (X509Certificate2 s in sent)
                isSent |= s.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span);
            if (!isSent)
                warnings.Add($"chain certificate #{i + 2} in {path} (\"{certificate.Subject}\") does not chain to the leaf and is not sent");
        }
    }
}
