using MimeKit.Cryptography;

namespace MailerQ.Www.Smtp.Dkim;

/// <summary>Reads a <c>c=</c> value: <c>header/body</c>, each <c>simple</c> or <c>relaxed</c> (RFC 6376 section 3.5).</summary>
internal static class DkimCanonicalization
{
    /// <summary>One word names the header algorithm; the body is then <c>simple</c>, as RFC 6376 section 3.5 says for <c>c=</c>.</summary>
    public static bool TryParse(string? text, out DkimCanonicalizationAlgorithm header, out DkimCanonicalizationAlgorithm body)
    {
        header = DkimCanonicalizationAlgorithm.Simple;
        body = DkimCanonicalizationAlgorithm.Simple;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var span = text.AsSpan().Trim();
        int slash = span.IndexOf('/');
        if (slash < 0)
            return TryWord(span, out header);
        return TryWord(span[..slash].Trim(), out header) && TryWord(span[(slash + 1)..].Trim(), out body);
    }

    public static string Name(DkimCanonicalizationAlgorithm algorithm) =>
        algorithm == DkimCanonicalizationAlgorithm.Relaxed ? "relaxed" : "simple";

    private static bool TryWord(ReadOnlySpan<char> word, out DkimCanonicalizationAlgorithm algorithm)
    {
        if (word.Equals("relaxed", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DkimCanonicalizationAlgorithm.Relaxed;
            return true;
        }
        algorithm = DkimCanonicalizationAlgorithm.Simple;
        return word.Equals("simple", StringComparison.OrdinalIgnoreCase);
    }
}
