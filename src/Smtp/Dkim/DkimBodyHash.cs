using System.Buffers;
using System.Security.Cryptography;
using MimeKit.Cryptography;

namespace MailerQ.Www.Smtp.Dkim;

/// <summary>
/// The <c>bh=</c> a verifier computes over a body as it is on the wire (CRLF line ends): SHA-256 of the
/// canonicalised body, RFC 6376 sections 3.4.3 (simple) and 3.4.4 (relaxed). Used to prove that the body
/// MimeKit hashed is byte for byte the body we send.
/// </summary>
internal static class DkimBodyHash
{
    private static ReadOnlySpan<byte> CrLf => "\r\n"u8;

    public static string Compute(ReadOnlySpan<byte> body, DkimCanonicalizationAlgorithm canonicalization)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] line = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            int emptyLines = 0;
            bool wroteAny = false;
            while (body.Length > 0)
            {
                int end = body.IndexOf(CrLf);
                var raw = end < 0 ? body : body[..end];
                body = end < 0 ? [] : body[(end + 2)..];

                ReadOnlySpan<byte> canonical = raw;
                if (canonicalization == DkimCanonicalizationAlgorithm.Relaxed)
                {
                    if (line.Length < raw.Length)
                    {
                        ArrayPool<byte>.Shared.Return(line);
                        line = ArrayPool<byte>.Shared.Rent(raw.Length);
                    }
                    canonical = line.AsSpan(0, Relax(raw, line));
                }

                // Empty lines count only once something follows them: trailing ones are ignored by both algorithms.
                if (canonical.Length == 0)
                {
                    emptyLines++;
                    continue;
                }
                for (; emptyLines > 0; emptyLines--)
                    hash.AppendData(CrLf);
                hash.AppendData(canonical);
                hash.AppendData(CrLf); // also the CRLF added to a last line that had none
                wroteAny = true;
            }
            // Simple: an empty body is a single CRLF. Relaxed: it stays empty.
            if (!wroteAny && canonicalization == DkimCanonicalizationAlgorithm.Simple)
                hash.AppendData(CrLf);
            return Convert.ToBase64String(hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(line);
        }
    }

    /// <summary>Runs of space/tab become one space; whitespace at the end of the line goes.</summary>
    private static int Relax(ReadOnlySpan<byte> raw, Span<byte> into)
    {
        int n = 0;
        bool space = false;
        foreach (byte b in raw)
        {
            if (b is (byte)' ' or (byte)'\t')
            {
                space = true;
                continue;
            }
            if (space)
            {
                into[n++] = (byte)' ';
                space = false;
            }
            into[n++] = b;
        }
        return n;
    }
}
