using System.Text;
using MailerQ.Www.Core.Logging;
using MimeKit;
using MimeKit.Cryptography;
using MailerQ.Www.Core.Dkim;

namespace MailerQ.Www.Smtp.Dkim;

/// <summary>
/// Adds DKIM-Signature header fields (RFC 6376; Ed25519 per RFC 8463) to a message, one per usable key,
/// computed by MimeKit and placed on top of the original bytes, which are sent as they are.
/// </summary>
/// <remarks>
/// <para>Order: the signature of the lowest <see cref="DkimSigningKey.Priority"/> ends up topmost (MailerQ's
/// "lower = signature placed first"); equal priorities keep the order given. Signatures do not sign each
/// other, so each verifies on its own.</para>
/// <para>Bytes: MimeKit hashes its own serialisation of the parsed message. Header fields keep their raw
/// bytes there, but a body MimeKit reads differently (broken MIME) would be hashed in MimeKit's form, so
/// every signature's <c>bh=</c> is checked against the body hash of the original bytes
/// (<see cref="DkimBodyHash"/>). On a mismatch the message is sent as MimeKit writes it, with a warning:
/// a valid signature over a re-serialised body beats an invalid one over the original. Bare LF line ends
/// are turned into CRLF first, as SMTP sends them anyway (RFC 5321 section 2.3.8).</para>
/// <para>Thread-safe and stateless; keys are parsed once through <see cref="DkimKeyMaterial"/>'s cache.</para>
/// </remarks>
internal sealed class MessageDkimSigner
{
    /// <summary>
    /// Signed when present if a key names no headers: the fields RFC 6376 section 5.4.1 recommends, plus the
    /// MIME fields (a changed Content-Type changes how the body reads) and the list/feedback fields bulk
    /// mail carries (RFC 8058 requires List-Unsubscribe and List-Unsubscribe-Post to be signed).
    /// </summary>
    public static IReadOnlyList<string> DefaultHeaders { get; } =
    [
        "From", "Sender", "Reply-To", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
        "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Content-Disposition",
        "List-Id", "List-Unsubscribe", "List-Unsubscribe-Post", "Feedback-ID",
    ];

    /// <summary>MimeKit refuses these (RFC 6376 section 5.4: they are routinely changed or removed in transit).</summary>
    private static readonly HashSet<string> NeverSigned = new(StringComparer.OrdinalIgnoreCase)
    {
        "Return-Path", "Received", "Comments", "Keywords", "Bcc", "Resent-Bcc", "DKIM-Signature",
    };

    private static readonly FormatOptions WireFormat = CreateWireFormat();

    /// <summary>
    /// The message with its signatures on top. Keys whose <see cref="DkimSigningKey.Expire"/> is not after
    /// <paramref name="now"/> are skipped; with no usable key the bytes come back unchanged (CRLF-normalised).
    /// </summary>
    /// <exception cref="DkimKeyException">A key cannot be used (bad PEM, algorithm or canonicalization); the message says which.</exception>
    public byte[] Sign(ReadOnlyMemory<byte> mime, IReadOnlyList<DkimSigningKey> keys, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(keys);
        byte[] wire = ToCrLf(mime.Span);

        var usable = new List<(DkimSigningKey Key, int Index)>(keys.Count);
        for (int i = 0; i < keys.Count; i++)
        {
            if (keys[i].Expire is not { } expire || expire > now)
                usable.Add((keys[i], i));
        }
        if (usable.Count == 0)
            return wire;
        usable.Sort(static (x, y) => x.Key.Priority != y.Key.Priority ? x.Key.Priority.CompareTo(y.Key.Priority) : x.Index.CompareTo(y.Index));

        MimeMessage message;
        using (var stream = new MemoryStream(wire, writable: false))
            message = MimeMessage.Load(stream);

        var signatures = new Header[usable.Count];
        bool bodyMatches = true;
        var body = BodyOf(wire);
        for (int i = 0; i < usable.Count; i++)
        {
            var key = usable[i].Key;
            var signer = CreateSigner(key, now, out var bodyCanonicalization);
            signer.Sign(WireFormat, message, HeadersToSign(key, message));
            // MimeKit puts the new field on top; take it off so the next signature does not see it.
            signatures[i] = message.Headers[0];
            message.Headers.RemoveAt(0);
            bodyMatches &= BodyHashTag(signatures[i]) == DkimBodyHash.Compute(body, bodyCanonicalization);
        }

        using var output = new MemoryStream(wire.Length + (signatures.Length * 512));
        if (bodyMatches)
        {
            foreach (var signature in signatures)
                WriteField(output, signature);
            output.Write(wire);
            return output.ToArray();
        }

        Log.Warning("dkim", "message re-serialised for signing: MimeKit reads its body differently from its bytes", $"bytes={wire.Length}");
        for (int i = signatures.Length - 1; i >= 0; i--)
            message.Headers.Insert(0, signatures[i]);
        message.WriteTo(WireFormat, output);
        return output.ToArray();
    }

    private static ClockedDkimSigner CreateSigner(DkimSigningKey key, DateTimeOffset now, out DkimCanonicalizationAlgorithm bodyCanonicalization)
    {
        string where = $"DKIM key {key.Selector}._domainkey.{key.Domain}";
        if (string.IsNullOrWhiteSpace(key.Domain) || string.IsNullOrWhiteSpace(key.Selector))
            throw new DkimKeyException($"{where}: domain and selector are required");
        if (!DkimKeyMaterial.TryParse(key.PrivateKeyPem, out var material, out string? error))
            throw new DkimKeyException($"{where}: {error}");
        var algorithm = key.Algorithm switch
        {
            DkimAlgorithms.RsaSha256 => DkimSignatureAlgorithm.RsaSha256,
            DkimAlgorithms.Ed25519Sha256 => DkimSignatureAlgorithm.Ed25519Sha256,
            _ => throw new DkimKeyException($"{where}: algorithm \"{key.Algorithm}\" is not {DkimAlgorithms.RsaSha256} or {DkimAlgorithms.Ed25519Sha256}"),
        };
        if (material.Algorithm != key.Algorithm)
            throw new DkimKeyException($"{where}: the key is {material.KeyType}, which cannot sign {key.Algorithm}");
        if (!DkimCanonicalization.TryParse(key.Canonicalization, out var header, out bodyCanonicalization))
            throw new DkimKeyException($"{where}: canonicalization \"{key.Canonicalization}\" is not simple or relaxed, optionally header/body");

        var signer = new ClockedDkimSigner(material.PrivateKey, key.Domain.Trim().TrimEnd('.'), key.Selector.Trim(), algorithm, now)
        {
            HeaderCanonicalizationAlgorithm = header,
            BodyCanonicalizationAlgorithm = bodyCanonicalization,
        };
        if (key.Expire is { } expire)
            signer.SignaturesExpireAfter = TimeSpan.FromSeconds(expire.ToUnixTimeSeconds() - now.ToUnixTimeSeconds());
        return signer;
    }

    /// <summary>
    /// From always, the <see cref="DefaultHeaders"/> the message has, then the key's own headers (MailerQ's
    /// "additional signed headers"), those even when absent: signing an absent field stops it being added later.
    /// </summary>
    private static List<string> HeadersToSign(DkimSigningKey key, MimeMessage message)
    {
        var names = new List<string> { "From" };
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "From" };
        foreach (string name in DefaultHeaders)
        {
            if (IsPresent(message, name) && seen.Add(name))
                names.Add(name);
        }
        if (key.Headers is { } additional)
        {
            foreach (string name in additional)
            {
                string trimmed = name.Trim();
                if (trimmed.Length > 0 && !NeverSigned.Contains(trimmed) && seen.Add(trimmed))
                    names.Add(trimmed);
            }
        }
        return names;
    }

    /// <summary>MimeKit keeps a message's top-level Content-* fields on its body entity, and signs them from there.</summary>
    private static bool IsPresent(MimeMessage message, string name) =>
        message.Headers.Contains(name)
        || (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase) && message.Body is { } body && body.Headers.Contains(name));

    private static void WriteField(Stream output, Header header)
    {
        output.Write(header.RawField);
        output.WriteByte((byte)':');
        output.Write(header.RawValue);
    }

    /// <summary>The signature's <c>bh=</c> tag with folding whitespace removed.</summary>
    private static string BodyHashTag(Header signature)
    {
        string value = Encoding.ASCII.GetString(signature.RawValue);
        foreach (string tag in value.Split(';'))
        {
            string trimmed = tag.Trim();
            if (trimmed.StartsWith("bh=", StringComparison.Ordinal))
            {
                var sb = new StringBuilder(trimmed.Length);
                foreach (char c in trimmed.AsSpan(3))
                {
                    if (!char.IsWhiteSpace(c))
                        sb.Append(c);
                }
                return sb.ToString();
            }
        }
        return "";
    }

    /// <summary>The body as a verifier sees it: everything after the first empty line.</summary>
    private static ReadOnlySpan<byte> BodyOf(byte[] wire)
    {
        var span = wire.AsSpan();
        if (span.StartsWith("\r\n"u8))
            return span[2..];
        int end = span.IndexOf("\r\n\r\n"u8);
        return end < 0 ? [] : span[(end + 4)..];
    }

    /// <summary>A copy with every bare LF made CRLF; other bytes untouched.</summary>
    internal static byte[] ToCrLf(ReadOnlySpan<byte> mime)
    {
        int bare = 0;
        for (int i = 0; i < mime.Length; i++)
        {
            if (mime[i] == (byte)'\n' && (i == 0 || mime[i - 1] != (byte)'\r'))
                bare++;
        }
        if (bare == 0)
            return mime.ToArray();
        byte[] copy = new byte[mime.Length + bare];
        int n = 0;
        for (int i = 0; i < mime.Length; i++)
        {
            if (mime[i] == (byte)'\n' && (i == 0 || mime[i - 1] != (byte)'\r'))
                copy[n++] = (byte)'\r';
            copy[n++] = mime[i];
        }
        return copy;
    }

    private static FormatOptions CreateWireFormat()
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos; // the wire form, whatever the platform
        return options;
    }
}
