using System.Collections.Concurrent;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace MailerQ.Www.Core.Dkim;

/// <summary>
/// A DKIM private key with everything derived from it: the public key, the DNS TXT record text
/// (<c>v=DKIM1; k=rsa; p=…</c>, RFC 6376 section 3.6.1; <c>k=ed25519</c>, RFC 8463) and the key as
/// PKCS#8 PEM. Generates RSA and Ed25519 keys and reads uploaded PEM, refusing anything that cannot sign.
/// </summary>
/// <remarks>Parsed keys are cached by PEM text, so a key used for every message is decoded once.</remarks>
internal sealed class DkimKeyMaterial
{
    /// <summary>RFC 8301 section 3.2: signers must use at least 1024-bit RSA keys.</summary>
    public const int MinRsaBits = 1024;

    /// <summary>RFC 8301 section 3.2: verifiers need not accept more than 4096 bits.</summary>
    public const int MaxRsaBits = 4096;

    /// <summary>What <see cref="GenerateRsa"/> makes by default: RFC 8301 recommends at least 2048.</summary>
    public const int DefaultRsaBits = 2048;

    /// <summary>A TXT record's character-strings hold at most 255 bytes each (RFC 1035 section 3.3).</summary>
    public const int TxtStringLimit = 255;

    /// <summary>Upper bound on cached keys; far above the keys one MTA signs with, it only bounds a flood of per-message keys.</summary>
    private const int CacheLimit = 1024;

    private static readonly ConcurrentDictionary<string, DkimKeyMaterial> Cache = new(StringComparer.Ordinal);

    private DkimKeyMaterial(AsymmetricKeyParameter privateKey, AsymmetricKeyParameter publicKey, string keyType, int bits, string publicKeyBase64)
    {
        PrivateKey = privateKey;
        PublicKey = publicKey;
        KeyType = keyType;
        Bits = bits;
        PublicKeyBase64 = publicKeyBase64;
    }

    public AsymmetricKeyParameter PrivateKey { get; }

    public AsymmetricKeyParameter PublicKey { get; }

    /// <summary><c>rsa</c> or <c>ed25519</c> (the record's <c>k=</c>).</summary>
    public string KeyType { get; }

    /// <summary>The signature algorithm this key signs with (<c>a=</c>).</summary>
    public string Algorithm => KeyType == DkimAlgorithms.RsaKeyType ? DkimAlgorithms.RsaSha256 : DkimAlgorithms.Ed25519Sha256;

    /// <summary>RSA modulus size; 256 for Ed25519.</summary>
    public int Bits { get; }

    /// <summary>
    /// The record's <c>p=</c>: base64 SubjectPublicKeyInfo for RSA (what opendkim-genkey publishes), the raw
    /// 32-byte key for Ed25519 (RFC 8463 section 4.2).
    /// </summary>
    public string PublicKeyBase64 { get; }

    /// <summary>The TXT record to publish at <see cref="DnsRecordName"/>.</summary>
    public string DnsRecordText => $"v=DKIM1; k={KeyType}; p={PublicKeyBase64}";

    /// <summary><see cref="DnsRecordText"/> cut into character-strings of at most 255 bytes, as zone files and DNS need it.</summary>
    public IReadOnlyList<string> DnsRecordStrings
    {
        get
        {
            string text = DnsRecordText;
            var parts = new List<string>((text.Length / TxtStringLimit) + 1);
            for (int i = 0; i < text.Length; i += TxtStringLimit)
                parts.Add(text.Substring(i, Math.Min(TxtStringLimit, text.Length - i)));
            return parts;
        }
    }

    /// <summary>The private key as unencrypted PKCS#8 PEM (<c>-----BEGIN PRIVATE KEY-----</c>).</summary>
    public string PrivateKeyPem
    {
        get
        {
            byte[] der = PrivateKeyInfoFactory.CreatePrivateKeyInfo(PrivateKey).GetEncoded();
            try
            {
                return new string(PemEncoding.Write("PRIVATE KEY", der));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(der);
            }
        }
    }

    /// <summary>Where the TXT record lives: <c>selector._domainkey.domain</c> (RFC 6376 section 3.6.2.1).</summary>
    public static string DnsRecordName(string selector, string domain) => $"{selector}._domainkey.{domain.TrimEnd('.')}";

    /// <summary>A new RSA key (through the platform's OpenSSL, which is much faster than BouncyCastle's generator).</summary>
    public static DkimKeyMaterial GenerateRsa(int bits = DefaultRsaBits)
    {
        if (bits is < MinRsaBits or > MaxRsaBits)
            throw new ArgumentOutOfRangeException(nameof(bits), bits, $"RSA keys for DKIM are {MinRsaBits} to {MaxRsaBits} bits");
        using var rsa = RSA.Create(bits);
        return Parse(rsa.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>A new Ed25519 key (RFC 8463).</summary>
    public static DkimKeyMaterial GenerateEd25519()
    {
        var key = new Ed25519PrivateKeyParameters(new SecureRandom());
        return FromEd25519(key);
    }

    /// <summary>Parses PEM or throws <see cref="DkimKeyException"/> with the reason.</summary>
    public static DkimKeyMaterial Parse(string pem)
    {
        if (!TryParse(pem, out var key, out string? error))
            throw new DkimKeyException(error);
        return key;
    }

    /// <summary>
    /// Reads an unencrypted RSA (PKCS#1 <c>RSA PRIVATE KEY</c> or PKCS#8 <c>PRIVATE KEY</c>) or Ed25519
    /// (PKCS#8) private key. Encrypted keys, certificates, public keys, other key types, RSA under 1024 or
    /// over 4096 bits and anything that is not PEM give a false return and a sentence saying why.
    /// </summary>
    public static bool TryParse(
        string? pem,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DkimKeyMaterial? key,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        key = null;
        error = null;
        if (string.IsNullOrWhiteSpace(pem))
        {
            error = "the private key is empty";
            return false;
        }
        if (Cache.TryGetValue(pem, out key))
            return true;

        key = Decode(pem, out string? reason);
        if (key is null)
        {
            error = reason ?? "the private key cannot be read";
            return false;
        }
        if (Cache.Count >= CacheLimit)
            Cache.Clear();
        Cache.TryAdd(pem, key);
        return true;
    }

    private static DkimKeyMaterial? Decode(string pem, out string? error)
    {
        error = null;
        // RFC 1421 encrypted PEM (openssl genrsa -aes256): headers that RFC 7468 PemEncoding does not accept.
        if (pem.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            error = "the private key is encrypted; upload it without a passphrase (openssl pkey -in key.pem -out plain.pem)";
            return null;
        }
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            error = "the private key is not PEM (expected -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)";
            return null;
        }
        string label = pem[fields.Label];
        byte[] der;
        try
        {
            der = Convert.FromBase64String(pem[fields.Base64Data]);
        }
        catch (FormatException)
        {
            error = "the PEM data is not valid base64";
            return null;
        }

        try
        {
            switch (label)
            {
                case "RSA PRIVATE KEY":
                    var rsa = RsaPrivateKeyStructure.GetInstance(Asn1Object.FromByteArray(der));
                    return FromRsa(new RsaPrivateCrtKeyParameters(rsa), out error);
                case "PRIVATE KEY":
                    var parsed = PrivateKeyFactory.CreateKey(der);
                    switch (parsed)
                    {
                        case RsaPrivateCrtKeyParameters crt:
                            return FromRsa(crt, out error);
                        case Ed25519PrivateKeyParameters ed:
                            return FromEd25519(ed);
                        default:
                            error = $"{parsed.GetType().Name.Replace("PrivateKeyParameters", "", StringComparison.Ordinal)} keys cannot sign DKIM; use RSA or Ed25519";
                            return null;
                    }
                case "ENCRYPTED PRIVATE KEY":
                    error = "the private key is encrypted; upload it without a passphrase (openssl pkey -in key.pem -out plain.pem)";
                    return null;
                case "CERTIFICATE":
                    error = "this is a certificate, not a private key";
                    return null;
                case "PUBLIC KEY" or "RSA PUBLIC KEY":
                    error = "this is a public key; DKIM signing needs the private key";
                    return null;
                default:
                    error = $"a PEM \"{label}\" is not a private key this signer reads (expected PRIVATE KEY or RSA PRIVATE KEY)";
                    return null;
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or SecurityUtilityException or Asn1Exception or InvalidCastException)
        {
            error = $"the {label} is damaged: {e.Message}";
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    private static DkimKeyMaterial? FromRsa(RsaPrivateCrtKeyParameters key, out string? error)
    {
        error = null;
        int bits = key.Modulus.BitLength;
        if (bits < MinRsaBits)
        {
            error = $"the RSA key has {bits} bits; DKIM needs at least {MinRsaBits} (RFC 8301)";
            return null;
        }
        if (bits > MaxRsaBits)
        {
            error = $"the RSA key has {bits} bits; verifiers need not accept more than {MaxRsaBits} (RFC 8301)";
            return null;
        }
        var publicKey = new RsaKeyParameters(false, key.Modulus, key.PublicExponent);
        byte[] spki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(publicKey).GetEncoded();
        return new DkimKeyMaterial(key, publicKey, DkimAlgorithms.RsaKeyType, bits, Convert.ToBase64String(spki));
    }

    private static DkimKeyMaterial FromEd25519(Ed25519PrivateKeyParameters key)
    {
        var publicKey = key.GeneratePublicKey();
        return new DkimKeyMaterial(key, publicKey, DkimAlgorithms.Ed25519KeyType, 256, Convert.ToBase64String(publicKey.GetEncoded()));
    }
}
